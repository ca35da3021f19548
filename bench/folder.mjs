// Benchmark (not a test): `loss-lens diagnose` on a folder of real-code-like projects, as a user or
// a CI job runs it: one process, no flags. The folder is the corpus of test/corpus/cases/ (60 small
// projects reproducing what public segmentation repositories do: packages, relative imports,
// inherited losses, uninstalled third-party imports). Target (issue 11): a folder of 40 such files
// in under 60 s on the 2-core machine. Nothing here has a PyTorch peer doing the same work (PyTorch
// does not diagnose), so the figure is absolute wall time.
// Usage: node bench/folder.mjs [FOLDER]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = process.argv[2] ?? join(root, 'test', 'corpus', 'cases');
const started = performance.now();
const run = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'diagnose', folder, '--json'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 1 << 28,
});
const wallMs = performance.now() - started;
const report = JSON.parse(run.stdout);
const files = report.files ?? [report];
const losses = files.flatMap((f) => f.losses);
console.log(
  JSON.stringify(
    {
      backend: report.backend,
      folder,
      files: files.length,
      losses: losses.length,
      analysed: losses.filter((l) => !l.error).length,
      exit_code: run.status,
      wall_s: Number((wallMs / 1000).toFixed(1)),
      per_file_ms: Math.round(wallMs / files.length),
      target: 'a folder of 40 files in under 60 s',
    },
    null,
    2,
  ),
);
