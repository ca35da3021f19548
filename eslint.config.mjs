// Lint (run by `npm test`). Every JavaScript and TypeScript file gets @eslint/js's and typescript-eslint's
// recommended rules and lines of at most 120 characters; tests, benchmarks and scripts run with
// the Node.js globals (and the browser's or mocha's where they run there). src/ and webview/ also
// get no import cycles and the import boundaries between layers, lowest first:
//   src/engine/python/            the interpreter
//   src/engine/ (the rest)        program, contract, random, backend, findings/…
//   src/engine/diagnose/, probe/  (probe never imports diagnose)
//   src/engine/index.ts           the engine's public surface
//   src/cli*, src/worker.ts, src/protocol.ts, src/vscode/
//   src/extension.ts
// webview/ talks to the extension through src/protocol.ts only. Formatting is Prettier's
// (eslint-config-prettier turns off the rules that would disagree with it).
// test/engine/layers.test.mjs checks the same layers from the import graph, type-only imports included.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ENGINE_ABOVE_CORE = ['./src/engine/diagnose', './src/engine/probe', './src/engine/index.ts'];
// The engine core: src/engine/*.ts but the index, and findings/.
const ENGINE_CORE = [
  ...readdirSync('src/engine')
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => `./src/engine/${f}`),
  './src/engine/findings',
];
const EDGES = [
  './src/cli.ts',
  './src/cli',
  './src/worker.ts',
  './src/protocol.ts',
  './src/vscode',
  './src/extension.ts',
];

/** One zone per boundary: files under `target` may not import from `from`. */
const LAYER_ZONES = [
  {
    target: './src/engine/python',
    from: './src/engine',
    except: ['./python'],
    message: 'the interpreter is the lowest layer: it knows nothing of programs, contracts, checks or probes',
  },
  {
    target: ENGINE_CORE,
    from: ENGINE_ABOVE_CORE,
    message: 'the engine core sits below the diagnosis, the probes and the public index',
  },
  { target: './src/engine/probe', from: './src/engine/diagnose', message: 'the probe runs without a diagnosis' },
  { target: './src/engine', from: [...EDGES, './webview'], message: 'the engine never imports its hosts' },
  {
    target: ['./src/cli.ts', './src/cli', './src/worker.ts', './src/protocol.ts', './src/vscode'],
    from: './src/extension.ts',
    message: 'the extension entry point is the top layer',
  },
  {
    target: './webview',
    from: './src',
    except: ['./protocol.ts'],
    message: 'the webview talks to the extension through src/protocol.ts only',
  },
  {
    target: './src/engine/diagnose/queries',
    from: './src/engine/diagnose/checks',
    message: 'checks use queries, not the reverse',
  },
];

const SOURCES = ['src/**/*.ts', 'webview/**/*.ts'];
// Around the extension: tests, benchmarks, build and packaging scripts.
const SCRIPTS = ['test/**/*.mjs', 'scripts/**/*.mjs', 'bench/**/*.mjs', '*.mjs'];
const TEST_VSCODE_TS = ['test/vscode/**/*.ts'];
const MAX_LEN = ['error', { code: 120, ignoreUrls: true }];
const UNUSED_VARS = ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }];

export default tseslint.config(
  {
    // Generated, installed or vendored (see .prettierignore); test/corpus/cases/ is Python.
    ignores: [
      'dist/',
      'out/',
      'node_modules/',
      'test/vscode/server/',
      'test/vscode/node_modules/',
      'test/vscode/out/',
      'test/vscode/.tmp/',
      'test/vscode/.runs/',
      'test/corpus/cases/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: SOURCES,
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: LAYER_ZONES }],
      'import-x/no-self-import': 'error',
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'only src/vscode/ and src/extension.ts' }] },
      ],
      '@typescript-eslint/no-unused-vars': UNUSED_VARS,
      'max-len': MAX_LEN,
    },
  },
  {
    files: ['src/vscode/**/*.ts', 'src/extension.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Tests, benchmarks and build scripts: Node.js ES modules.
    files: SCRIPTS,
    languageOptions: { globals: globals.node },
  },
  {
    // UI tests hand Playwright functions that run in the page (locator.evaluate).
    files: ['test/vscode/ui/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // The extension-host suite runs under mocha inside VS Code; runTest.ts is plain Node.js.
    files: TEST_VSCODE_TS,
    languageOptions: { globals: { ...globals.node, ...globals.mocha } },
  },
  { files: [...SCRIPTS, ...TEST_VSCODE_TS], rules: { '@typescript-eslint/no-unused-vars': UNUSED_VARS } },
  prettier,
  // eslint-config-prettier turns max-len off; lines Prettier cannot break (long strings) still count.
  { files: [...SOURCES, ...SCRIPTS, ...TEST_VSCODE_TS], rules: { 'max-len': MAX_LEN } },
);
