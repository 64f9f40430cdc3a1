// Prints one plain closing line ("jest: N passed, N failed, N skipped") that CI tooling can read,
// then each skipped suite with the reason it carries in its title (test/support/prerequisites.ts).
const SKIP_REASON = /\[skipped: (.+)\]$/;

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const lines = [`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`];
    for (const file of results.testResults) {
      const reasons = new Map();
      for (const test of file.testResults) {
        if (test.status !== 'pending' && test.status !== 'todo') continue;
        const reason = test.ancestorTitles.map((title) => SKIP_REASON.exec(title)?.[1]).find(Boolean) ?? 'not selected (-t) or it.skip in the file';
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      const path = file.testFilePath.startsWith(`${this.rootDir}/`) ? file.testFilePath.slice(this.rootDir.length + 1) : file.testFilePath;
      for (const [reason, count] of reasons) lines.push(`  skipped ${count} in ${path}: ${reason}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
module.exports = SummaryReporter;
