import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Jest runs only test/suites/*.e2e-spec.ts; each imports topic files (test/*.e2e.ts). A topic file
 * no suite imports would never run, and one imported twice would run twice: both fail the run.
 */
export function suiteProblems(testDir: string): string[] {
  const topics = readdirSync(testDir).filter((f) => f.endsWith('.e2e.ts'));
  const strays = readdirSync(testDir).filter((f) => f.endsWith('.e2e-spec.ts'));
  const suitesDir = join(testDir, 'suites');
  const imports = new Map<string, string[]>();
  for (const suite of readdirSync(suitesDir).filter((f) => f.endsWith('.e2e-spec.ts'))) {
    for (const [, topic] of readFileSync(join(suitesDir, suite), 'utf8').matchAll(/^import '\.\.\/([\w-]+)\.e2e';$/gm)) {
      imports.set(`${topic}.e2e.ts`, [...(imports.get(`${topic}.e2e.ts`) ?? []), suite]);
    }
  }
  return [
    ...strays.map((f) => `test/${f} is not run: e2e topic files are named *.e2e.ts and imported by a suite in test/suites/`),
    ...topics.filter((t) => !imports.has(t)).map((t) => `test/${t} is imported by no suite in test/suites/`),
    ...[...imports].filter(([, by]) => by.length > 1).map(([t, by]) => `test/${t} is imported by ${by.length} suites (${by.join(', ')})`),
    ...[...imports.keys()].filter((t) => !topics.includes(t)).map((t) => `a suite imports test/${t}, which does not exist`),
  ];
}
