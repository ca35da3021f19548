// `npm run package`: builds loss-lens-<version>.vsix at the repository root.
//
// The .vsix is made from a staging folder, out/vsix/, so the dev build in dist/ (what the tests and
// the CLI use, TF.js external) is never touched. The folder holds:
//   dist/       `node esbuild.mjs --package`: extension host, engine process and worker, webview, minified,
//               TF.js bundled in (a .vsix ships no node_modules: vsce --no-dependencies leaves
//               node_modules out entirely), tfjs-backend-wasm's .wasm binaries, tree-sitter (its
//               JavaScript, loaded afresh after a failed parse, and its .wasm files), plotly.min.js;
//   package.json, README.md, docs/findings.md (the Problems entries link to it), media/ (webview CSS),
//   .vscodeignore (source maps and the like, should any appear);
// then runs vsce 3.9 (4.x needs node 22) without any prompt:
//   --no-dependencies            nothing of node_modules is needed at run time;
//   --allow-missing-repository   package.json names no repository (yet);
//   --skip-license               no LICENSE file (yet);
//   --no-rewrite-relative-links  README links (docs/findings.md) stay relative: vsce would otherwise
//                                need a repository URL to make them absolute; the file is packaged.
//
//   node scripts/package.mjs [--out FILE.vsix]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, 'out', 'vsix');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outArg = process.argv.indexOf('--out');
const vsix = resolve(outArg > 0 ? process.argv[outArg + 1] : join(root, `${manifest.name}-${manifest.version}.vsix`));
const started = performance.now();

function run(args, cwd) {
  const result = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
run([join(root, 'esbuild.mjs'), '--package', `--outdir=${join(stage, 'dist')}`], root);

const copied = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'LICENSE.md',
  'LICENSE.txt',
  '.vscodeignore',
  'docs/findings.md',
  'media',
].filter((path) => existsSync(join(root, path)));
for (const path of copied) cpSync(join(root, path), join(stage, path), { recursive: true });
// What the installed extension loads: a package without one of these installs but does not work.
const required = [
  'package.json',
  'README.md',
  'docs/findings.md',
  'dist/extension.js',
  'dist/engineHost.js',
  'dist/worker.js',
  'dist/webview.js',
  'dist/plotly.min.js',
  'dist/tree-sitter.cjs',
  'dist/tree-sitter.wasm',
  'dist/tree-sitter-python.wasm',
  'dist/tfjs-backend-wasm.wasm',
  'dist/tfjs-backend-wasm-simd.wasm',
];
const missing = required.filter((path) => !existsSync(join(stage, path)));
if (missing.length) throw new Error(`the staging folder lacks ${missing.join(', ')}`);

const vsce = join(dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
mkdirSync(dirname(vsix), { recursive: true });
run(
  [
    vsce,
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--skip-license',
    '--no-rewrite-relative-links',
    '--out',
    vsix,
  ],
  stage,
);

const megabytes = (statSync(vsix).size / 1024 / 1024).toFixed(2);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `${relative(process.cwd(), vsix) || vsix}: ${megabytes} MB, packaged in ${seconds} s ` +
    `(staging folder ${relative(root, stage)}/)`,
);
