// The extension host's side of the engine worker (src/vscode/engineClient.ts), driven with the real
// worker and with stand-in workers that crash: a crashed worker fails its pending requests with a
// clear message and is replaced by a fresh one at the next request; the host never goes down.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createRequire } from 'node:module';
import { ROOT } from './helpers.mjs';

const require = createRequire(import.meta.url);
let EngineClient;
let scratch;

before(async () => {
  // engineClient.ts needs no vscode: bundle it on the spot, as the extension bundle does.
  scratch = mkdtempSync(join(tmpdir(), 'loss-lens-client-'));
  const out = join(scratch, 'engineClient.js');
  await require('esbuild').build({
    entryPoints: [join(ROOT, 'src', 'vscode', 'engineClient.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
  });
  ({ EngineClient } = require(out));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** An extension folder whose dist/worker.js is `script`. */
function fakeExtension(script) {
  const dir = mkdtempSync(join(scratch, 'ext-'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'worker.js'), script);
  return dir;
}

const SOURCE = readFileSync(join(ROOT, 'examples', 'torch_argmax_dice.py'), 'utf8');

test('the real worker discovers and diagnoses, with plot data when asked', async () => {
  const lines = [];
  const client = new EngineClient(ROOT, (line) => lines.push(line), 'test');
  try {
    assert.deepEqual(
      (await client.discover(SOURCE)).map((l) => l.entry),
      ['hard_dice_loss'],
    );
    const result = await client.diagnose('x.py', SOURCE, { entry: 'hard_dice_loss', backend: 'cpu', plots: true });
    assert.equal(result.backend, 'cpu');
    const loss = result.report.losses[0];
    assert.deepEqual(
      loss.findings.map((f) => f.kind),
      ['non-differentiable'],
    );
    assert.ok(loss.plots, 'plot data when asked');
    assert.deepEqual(lines, []);
  } finally {
    await client.dispose();
  }
});

test('cancelling through the token stops a probe in the worker', async () => {
  const client = new EngineClient(ROOT, () => {}, 'test');
  const listeners = [];
  const token = { isCancellationRequested: false, onCancellationRequested: (listener) => listeners.push(listener) };
  let events = 0;
  try {
    const running = client.diagnose(
      'x.py',
      SOURCE,
      { entry: 'hard_dice_loss', backend: 'cpu', probe: 'quick' },
      token,
      {
        onProbeProgress: (loss, event) => {
          assert.equal(loss.entry, 'hard_dice_loss');
          assert.ok(event.runs.length >= 2);
          if (++events === 2) listeners.forEach((l) => l());
        },
      },
    );
    await assert.rejects(running, (error) => error.cancelled === true && /cancelled/.test(error.message));
    assert.ok(events >= 2, `progress before the cancel: ${events}`);
    // The same worker answers the next request.
    assert.equal((await client.discover(SOURCE)).length, 1);
  } finally {
    await client.dispose();
  }
});

test('a worker that crashes fails its request clearly and is replaced at the next one', async () => {
  const marker = join(scratch, 'crashed-once');
  // Crashes on its first request ever, then behaves (answers discover with no losses).
  const dir = fakeExtension(`
    const { parentPort } = require('node:worker_threads');
    const fs = require('node:fs');
    parentPort.on('message', (request) => {
      if (!fs.existsSync(${JSON.stringify(marker)})) {
        fs.writeFileSync(${JSON.stringify(marker)}, '');
        process.exit(7);
      }
      parentPort.postMessage({ type: 'discovered', id: request.id, losses: [] });
    });`);
  const lines = [];
  const client = new EngineClient(dir, (line) => lines.push(line), 'diagnosis');
  try {
    await assert.rejects(client.diagnose('x.py', SOURCE, {}), /the Loss Lens engine stopped \(exit code 7\)/);
    assert.ok(
      lines.some((l) => /diagnosis worker stopped: exit code 7; it restarts with the next request/.test(l)),
      lines.join('\n'),
    );
    assert.deepEqual(await client.discover(SOURCE), [], 'a new worker answers');
  } finally {
    await client.dispose();
  }
});

test('a worker that runs out of memory is reported, not fatal', async () => {
  const dir = fakeExtension(`
    const { parentPort } = require('node:worker_threads');
    parentPort.on('message', () => { const hog = []; for (;;) hog.push(new Array(1e6).fill(1)); });`);
  const lines = [];
  const client = new EngineClient(dir, (line) => lines.push(line), 'probe', { maxOldGenerationSizeMb: 64 });
  try {
    await assert.rejects(client.diagnose('x.py', SOURCE, {}), /the Loss Lens engine stopped/);
    assert.ok(
      lines.some((l) => /probe worker stopped/.test(l)),
      lines.join('\n'),
    );
  } finally {
    await client.dispose();
  }
});
