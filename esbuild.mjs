// Builds every entry point (extension host, engine worker, CLI, webview) in one pass and copies the
// files the bundles load at run time: the tree-sitter WebAssembly (runtime + Python grammar) and
// Plotly, which the report webview loads as its own nonce'd script.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const outdir = 'dist';
mkdirSync(outdir, { recursive: true });

const wasmFiles = [
  require.resolve('web-tree-sitter/tree-sitter.wasm'),
  join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
];
for (const file of wasmFiles) copyFileSync(file, join(outdir, file.split('/').pop()));
copyFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), join(outdir, 'plotly.min.js'));

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
  external: ['vscode', '@tensorflow/*'],
  // web-tree-sitter's ESM build reads import.meta.url, which CommonJS bundles lack.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

const builds = [
  { ...nodeCommon, entryPoints: { extension: 'src/extension.ts' }, outdir },
  { ...nodeCommon, entryPoints: { worker: 'src/worker.ts' }, outdir },
  { ...nodeCommon, entryPoints: { cli: 'src/cli.ts' }, outdir, banner: { js: `#!/usr/bin/env node\n${nodeCommon.banner.js}` } },
  { ...nodeCommon, entryPoints: { engine: 'src/engine/index.ts' }, outdir },
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
