// The CLI analyses in an engine process of its own (src/host/): a loss that takes that process down
// is that loss's error, and the other losses of its file and the other files of the folder are
// still reported; results are printed file by file as they come.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MEMORY_HOG, diceLoss } from './generatedSources.mjs';
import { ROOT } from './helpers.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'loss-lens-isolation-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const CLI = join(ROOT, 'dist', 'cli.js');

test('a loss that exhausts the engine heap is its own error; its file and folder go on', () => {
  const folder = join(scratch, 'hog');
  mkdirSync(folder);
  writeFileSync(join(folder, 'a_first.py'), `import torch\n${diceLoss('first_dice_loss')}`);
  writeFileSync(
    join(folder, 'b_hog.py'),
    `import torch\n${diceLoss('before_dice_loss')}${MEMORY_HOG}${diceLoss('after_dice_loss')}`,
  );
  writeFileSync(join(folder, 'c_last.py'), `import torch\n${diceLoss('last_dice_loss')}`);
  const run = spawnSync(process.execPath, [CLI, 'diagnose', folder, '--json', '--backend', 'cpu'], {
    cwd: scratch,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, LOSS_LENS_MAX_HEAP_MB: '256' },
  });
  assert.equal(run.status, 2, run.stderr);
  const { files } = JSON.parse(run.stdout);
  const outcome = files.map((f) => [f.file, f.error, f.losses.map((l) => [l.entry, l.error?.kind])]);
  // The folder was given as an absolute path: its files are named so.
  assert.deepEqual(outcome, [
    [join(folder, 'a_first.py'), undefined, [['first_dice_loss', undefined]]],
    [
      join(folder, 'b_hog.py'),
      undefined,
      [
        ['before_dice_loss', undefined],
        ['memory_hog_loss', 'limit'],
        ['after_dice_loss', undefined],
      ],
    ],
    [join(folder, 'c_last.py'), undefined, [['last_dice_loss', undefined]]],
  ]);
  const hog = files[1].losses[1];
  assert.equal(hog.error.line, 8, 'the line of its def');
  assert.match(hog.error.message, /stopped the engine \(out of memory \(heap limit 256 MB\)\)/);
  for (const file of files) for (const loss of file.losses) if (loss !== hog) assert.ok(loss.contract, loss.entry);
});

test('a folder streams: the first file is printed while the others are still being analysed', async () => {
  const folder = join(scratch, 'many');
  mkdirSync(folder);
  const count = 24;
  for (let i = 0; i < count; i++)
    writeFileSync(join(folder, `loss_${String(i).padStart(2, '0')}.py`), `import torch\n${diceLoss(`dice_${i}`)}`);
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, 'diagnose', folder, '--backend', 'cpu'], { cwd: scratch });
  let stdout = '';
  let firstBlockMs;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    if (firstBlockMs === undefined && stdout.includes('dice_0 ')) firstBlockMs = Date.now() - started;
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  const totalMs = Date.now() - started;
  assert.equal(code, 0);
  assert.equal(stdout.match(/no problems found/g)?.length, count);
  assert.ok(firstBlockMs < 0.75 * totalMs, `first file printed at ${firstBlockMs} ms of ${totalMs} ms`);
});

test('eval of a loss that exhausts the engine heap exits 2 with one line saying so', () => {
  const file = join(scratch, 'eval_hog.py');
  writeFileSync(file, `import torch\n${MEMORY_HOG}`);
  const inputs = join(scratch, 'inputs.json');
  writeFileSync(inputs, JSON.stringify({ prediction: [[[[0.5]]]], target: [[[[1]]]] }));
  const run = spawnSync(
    process.execPath,
    [CLI, 'eval', file, '--entry', 'memory_hog_loss', '--inputs', inputs, '--backend', 'cpu'],
    { cwd: scratch, encoding: 'utf8', timeout: 120_000, env: { ...process.env, LOSS_LENS_MAX_HEAP_MB: '256' } },
  );
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, 'loss-lens: the Loss Lens engine stopped (out of memory (heap limit 256 MB))\n');
});
