// Jest's own order (failed first, then the slowest of the last run) when it has timings. On a fresh
// clone it has none and goes by file size, which would run the e2e suites (short files importing
// the long topic files) last and leave one worker idle at the end: they go first, the suite whose
// topic files are largest first.
const { readFileSync, statSync } = require('node:fs');
const { dirname, join } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const TOPIC_IMPORT = /^import '(\.\.\/[\w-]+\.e2e)';$/gm;

function suiteSize(path) {
  return [...readFileSync(path, 'utf8').matchAll(TOPIC_IMPORT)].reduce((sum, [, topic]) => sum + statSync(join(dirname(path), `${topic}.ts`)).size, 0);
}

class SuitesFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((test) => test.duration != null)) return sorted;
    const size = new Map(sorted.map((test) => [test.path, test.path.includes('/test/suites/') ? suiteSize(test.path) : 0]));
    return [...sorted].sort((a, b) => size.get(b.path) - size.get(a.path));
  }
}

module.exports = SuitesFirst;
