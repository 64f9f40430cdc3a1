import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// How the code depends on itself (CONTRIBUTING.md, "Which code may import which"):
// apps → libs, never the reverse; libs/common imports no other library; libs/defender imports
// libs/common; libs/ctim imports only Defender model types and does no I/O. Each block below
// repeats the rules of the blocks it narrows, because a later block replaces a rule's options.

const NOT_FROM_APPS = {
  regex: '(^|/)apps/',
  message: 'A library never imports from apps/: apps depend on libraries, not the reverse.',
};
const NO_RELATIVE_LIBRARY = {
  regex: '^\\.{1,2}/(.*/)?(libs|common|defender|ctim)/',
  message: 'Import another library as @app/<lib>, never by a relative path.',
};
const LIBRARY = [NOT_FROM_APPS, NO_RELATIVE_LIBRARY];

const restrictImports = (patterns, paths = []) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns, paths }],
});

/** libs/ctim: pure mapping. `allowCrypto` for the one provider that draws random ids. */
const ctimImports = ({ allowCrypto = false } = {}) =>
  restrictImports(
    [
      ...LIBRARY,
      {
        regex: `^(?!\\.{1,2}/|@app/|@nestjs/common$|node:net$${allowCrypto ? '|node:crypto$' : ''})`,
        message: 'libs/ctim maps data and does no I/O: it imports its own files, @nestjs/common (module and providers) and isIP from node:net.',
      },
      { regex: '^@app/(?!defender/models$|common/clock$)', message: 'libs/ctim depends on nothing but the Defender model types (@app/defender/models) and the app clock (@app/common/clock).' },
      {
        regex: '^@app/defender/models$',
        allowTypeImports: true,
        message: "libs/ctim reads Defender model types only: `import type { … } from '@app/defender/models'`.",
      },
    ],
    [
      { name: 'node:net', allowImportNames: ['isIP'], message: 'Only isIP: libs/ctim opens no sockets.' },
      ...(allowCrypto ? [{ name: 'node:crypto', allowImportNames: ['randomUUID'], message: 'Only randomUUID, for transient ids.' }] : []),
    ],
  );

export default tseslint.config(
  { ignores: ["test/support/summary-reporter.js", "test/support/sequencer.js", "test/support/report-undici.js", 'dist/**', 'node_modules/**', 'coverage/**', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      'no-console': 'error',
      // Control characters are matched on purpose: they must never reach a message or a query.
      'no-control-regex': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'apps/defender-sandbox/src/demo.ts', 'apps/defender-sandbox/src/main.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['apps/relay/**/*.ts'],
    rules: restrictImports([
      { regex: '(^|/)libs/[^/]+/src(/|$)', message: 'The relay imports a library as @app/<lib>.' },
      { regex: '^@app/[^/]+/', message: 'The relay imports a library through its index: @app/<lib>.' },
      { regex: '(^|/)defender-sandbox(/|$)', message: 'The sandbox is a test double: the relay never imports it.' },
    ]),
  },
  {
    files: ['apps/defender-sandbox/**/*.ts'],
    rules: restrictImports([
      { regex: '^@app/|(^|/)libs/', message: 'The sandbox fakes Microsoft’s services on its own: sharing relay code would let both agree by accident.' },
      { regex: '(^|/)relay/', message: 'The sandbox never imports the relay.' },
    ]),
  },
  { files: ['libs/**/*.ts'], rules: restrictImports(LIBRARY) },
  {
    files: ['libs/common/**/*.ts'],
    rules: restrictImports([...LIBRARY, { regex: '^@app/', message: 'libs/common is the base library: it imports no other library.' }]),
  },
  {
    files: ['libs/defender/**/*.ts'],
    rules: restrictImports([
      ...LIBRARY,
      { regex: '^@app/(?!common$)', message: 'libs/defender imports only @app/common: CTIM is mapped from Defender models, not the reverse.' },
    ]),
  },
  { files: ['libs/ctim/src/**/*.ts'], ignores: ['**/*.spec.ts'], rules: ctimImports() },
  { files: ['libs/ctim/src/id.provider.ts'], rules: ctimImports({ allowCrypto: true }) },
  {
    // Mappers are pure: the time comes from the app's CLOCK, ids from the IdGenerator provider.
    files: ['libs/ctim/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Mappers read the time from the injected CLOCK (MappingStamp.now).' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Mappers read the time from the injected CLOCK (MappingStamp.now).' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Mappers draw ids from the injected IdGenerator (MappingStamp.newId).' },
        { selector: 'ImportExpression', message: 'libs/ctim imports statically, so the import rules see every dependency.' },
        { selector: "CallExpression[callee.name='require']", message: 'libs/ctim imports statically, so the import rules see every dependency.' },
      ],
    },
  },
);
