// Two projects: fast pure unit tests next to the code, and e2e tests over real sockets in test/.
const moduleNameMapper = {
  '^@app/common(|/.*)$': '<rootDir>/libs/common/src$1',
  '^@app/defender(|/.*)$': '<rootDir>/libs/defender/src$1',
  '^@app/ctim(|/.*)$': '<rootDir>/libs/ctim/src$1',
};
const transform = { '^.+\\.(t|j)s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] };
const common = { moduleFileExtensions: ['js', 'json', 'ts'], testEnvironment: 'node', moduleNameMapper, transform };

module.exports = {
  // Two test files at a time, each in its own worker process: much of an e2e file is waiting
  // (sockets, child processes, timers), and the machines it runs on have two cores. Jest loads every
  // module afresh for each test file (about a second of CPU for the relay's), so e2e topic files
  // (test/*.e2e.ts) run gathered in a few suites (test/suites/). Suites share nothing: each test
  // passes its environment to the app it builds, and every server listens on a free port.
  maxWorkers: 2,
  testTimeout: 30000,
  testSequencer: '<rootDir>/test/support/sequencer.js',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', rootDir: __dirname, testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', rootDir: __dirname, testMatch: ['<rootDir>/test/suites/*.e2e-spec.ts'], globalSetup: '<rootDir>/test/support/global-setup.ts' },
  ],
};
