// Builds every entry point (extension host, engine process and worker, CLI, webview) in one pass and
// copies the files the bundles load at run time: tree-sitter (its JavaScript, its WebAssembly runtime
// and the Python grammar) and Plotly, which the report webview loads as its own nonce'd script.
//
//   node esbuild.mjs                      dev build into dist/ (what the tests use)
//   node esbuild.mjs --package --outdir=D  the .vsix build (scripts/package.mjs): minified, no source
//       maps, only what the installed extension runs (extension host, worker, webview), with TF.js
//       bundled into it (a .vsix ships no node_modules) and tfjs-backend-wasm's binaries copied
//       next to the worker, where the bundled wasm backend looks for them (its __dirname).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const packaging = process.argv.includes('--package');
const production = packaging || process.argv.includes('--production');
const outdir = process.argv.find((arg) => arg.startsWith('--outdir='))?.slice('--outdir='.length) || 'dist';
mkdirSync(outdir, { recursive: true });

// web-tree-sitter itself is loaded at run time, not bundled: the parser loads a fresh copy of it (its
// own WebAssembly instance) after a parse fails (src/engine/python/parser.ts).
const wasmFiles = [
  require.resolve('web-tree-sitter'),
  require.resolve('web-tree-sitter/tree-sitter.wasm'),
  join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
];
for (const file of wasmFiles) copyFileSync(file, join(outdir, file.split('/').pop()));
copyFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), join(outdir, 'plotly.min.js'));
if (packaging) {
  // Node never takes the threaded build (tfjs-backend-wasm disables threads under node): the SIMD
  // binary, and the plain one for a runtime without SIMD.
  const wasmDist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'])
    copyFileSync(join(wasmDist, file), join(outdir, file));
}

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // TF.js stays external so the optional native backend (tfjs-node) and the wasm backend register
  // with the same tfjs-core instance the engine uses; they ship as runtime dependencies.
  // The package build bundles TF.js (one tfjs-core, with the cpu and wasm backends) and leaves
  // out only tfjs-node, a native module no .vsix carries: require()d when present, else skipped.
  external: packaging ? ['vscode', '@tensorflow/tfjs-node'] : ['vscode', '@tensorflow/*'],
  // web-tree-sitter's ESM build reads import.meta.url, which CommonJS bundles lack.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

const builds = [
  { ...nodeCommon, entryPoints: { extension: 'src/extension.ts' }, outdir },
  { ...nodeCommon, entryPoints: { worker: 'src/worker.ts' }, outdir },
  // The engine process the hosts fork; it runs the worker as its thread (src/host/engineHost.ts).
  { ...nodeCommon, entryPoints: { engineHost: 'src/host/engineHost.ts' }, outdir },
  // The CLI and the engine library are not part of the installed extension.
  ...(packaging
    ? []
    : [
        {
          ...nodeCommon,
          entryPoints: { cli: 'src/cli.ts' },
          outdir,
          banner: { js: `#!/usr/bin/env node\n${nodeCommon.banner.js}` },
        },
        { ...nodeCommon, entryPoints: { engine: 'src/engine/index.ts' }, outdir },
      ]),
  {
    entryPoints: { webview: 'webview/main.ts' },
    outdir,
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
