// Lint for src/ and webview/ (run by `npm test`): typescript-eslint's recommended rules, no import
// cycles, and the import boundaries between layers, lowest first:
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

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', 'test/', 'bench/', 'scripts/', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
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
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-len': ['error', { code: 120, ignoreUrls: true }],
    },
  },
  {
    files: ['src/vscode/**/*.ts', 'src/extension.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  prettier,
  // eslint-config-prettier turns max-len off; lines Prettier cannot break (long strings) still count.
  { files: ['src/**/*.ts', 'webview/**/*.ts'], rules: { 'max-len': ['error', { code: 120, ignoreUrls: true }] } },
);
