// Benchmark (not a test): the CLI on generated inputs, as CI runs it on a large repository: a folder
// of many small loss files, one file of many losses, and a file whose middle loss exhausts the
// engine's heap (the CLI reports it and goes on in a fresh engine process). Reports wall time and
// the peak memory of the CLI and its engine process together (Linux: read from /proc).
// Usage: node bench/isolation.mjs [--files 500] [--losses 2000] [--heap-mb 512] [--cli dist/cli.js]
// (--cli runs another build of the CLI, to compare.)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MEMORY_HOG, diceLoss } from '../test/engine/generatedSources.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '500' },
    losses: { type: 'string', default: '2000' },
    'heap-mb': { type: 'string', default: '512' },
    cli: { type: 'string', default: join(root, 'dist', 'cli.js') },
  },
});

/** Resident memory (kB) of a process and all its descendants. */
function treeRssKb(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const visit = (p) => {
    try {
      total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // ended meanwhile
    }
    for (const child of children.get(p) ?? []) visit(child);
  };
  visit(pid);
  return total;
}

function runCli(path, env = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [values.cli, 'diagnose', path, '--json'], {
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let peakKb = 0;
    const timer = setInterval(() => (peakKb = Math.max(peakKb, treeRssKb(child.pid))), 250);
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.on('close', (code) => {
      clearInterval(timer);
      const report = JSON.parse(stdout);
      const files = report.files ?? [report];
      const losses = files.flatMap((f) => f.losses);
      resolve({
        files: files.length,
        losses: losses.length,
        analysed: losses.filter((l) => !l.error).length,
        loss_errors: losses.filter((l) => l.error).map((l) => `${l.entry}: ${l.error.message}`),
        exit_code: code,
        wall_s: Number(((performance.now() - started) / 1000).toFixed(1)),
        peak_rss_mb: Math.round(peakKb / 1024),
      });
    });
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'loss-lens-bench-'));
try {
  const folder = join(scratch, 'folder');
  mkdirSync(folder);
  for (let i = 0; i < Number(values.files); i++)
    writeFileSync(join(folder, `loss_${i}.py`), `import torch\n${diceLoss(`dice_${i}`, 1 + i)}`);
  const many = join(scratch, 'many_losses.py');
  const lossCount = Number(values.losses);
  writeFileSync(
    many,
    `import torch\n${Array.from({ length: lossCount }, (_, i) => diceLoss(`dice_${i}`, 1 + i)).join('')}`,
  );
  const hog = join(scratch, 'memory_hog.py');
  writeFileSync(hog, `import torch\n${diceLoss('before_loss', 1)}${MEMORY_HOG}${diceLoss('after_loss', 1)}`);
  const results = {
    folder: await runCli(folder),
    many_losses: await runCli(many),
    memory_hog: await runCli(hog, { LOSS_LENS_MAX_HEAP_MB: values['heap-mb'] }),
  };
  for (const [name, result] of Object.entries(results))
    console.log(JSON.stringify({ case: name, ...result, loss_errors: result.loss_errors.slice(0, 3) }, null, 2));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
