// The hosts' side of the engine (src/host/engineClient.ts), driven with the real engine and with
// stand-in workers (run by the real engine process) that crash, run out of memory, hit a V8 fatal
// error or ignore a cancel: the request gets a clear answer, the engine process is replaced, and
// the host never goes down.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createRequire } from 'node:module';
import { ROOT } from './helpers.mjs';

const require = createRequire(import.meta.url);
let EngineClient;
let scratch;

before(async () => {
  // engineClient.ts needs no vscode: bundle it on the spot, as the extension and CLI bundles do.
  scratch = mkdtempSync(join(tmpdir(), 'loss-lens-client-'));
  const out = join(scratch, 'engineClient.js');
  await require('esbuild').build({
    entryPoints: [join(ROOT, 'src', 'host', 'engineClient.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
  });
  ({ EngineClient } = require(out));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** An extension folder with the real engine process, whose worker thread (dist/worker.js) is `script`. */
function fakeExtension(script) {
  const dir = mkdtempSync(join(scratch, 'ext-'));
  mkdirSync(join(dir, 'dist'));
  copyFileSync(join(ROOT, 'dist', 'engineHost.js'), join(dir, 'dist', 'engineHost.js'));
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
    const { report } = await client.diagnose('x.py', SOURCE, {});
    assert.match(report.error.message, /the engine stopped while loading it \(the engine thread exited with code 7\)/);
    assert.ok(
      lines.some((l) => /diagnosis engine stopped: .*code 7; it restarts with the next request/.test(l)),
      lines.join('\n'),
    );
    assert.deepEqual(await client.discover(SOURCE), [], 'a new engine answers');
  } finally {
    await client.dispose();
  }
});

test('a worker that runs out of memory is reported, not fatal', async () => {
  const dir = fakeExtension(`
    const { parentPort } = require('node:worker_threads');
    parentPort.on('message', () => { const hog = []; for (;;) hog.push(new Array(1e6).fill(1)); });`);
  const lines = [];
  const client = new EngineClient(dir, (line) => lines.push(line), 'probe', {
    resourceLimits: { maxOldGenerationSizeMb: 64 },
  });
  try {
    const { report } = await client.diagnose('x.py', SOURCE, {});
    assert.match(report.error.message, /out of memory \(heap limit 64 MB\)/);
    assert.ok(
      lines.some((l) => /probe engine stopped: out of memory/.test(l)),
      lines.join('\n'),
    );
  } finally {
    await client.dispose();
  }
});

/**
 * A stand-in worker that streams the losses a/b/c of a file as the real worker does, and dies (as
 * `die` says) on loss b whenever it is analysed.
 */
const losingWorker = (die) => `
  const { parentPort } = require('node:worker_threads');
  const names = ['a', 'b', 'c'];
  const summary = (i) =>
    ({ entry: names[i], name: names[i], kind: 'function', role: 'loss', line: 1 + 3 * i, endLine: 2 + 3 * i });
  parentPort.on('message', (request) => {
    if (request.type !== 'diagnose') return;
    const { id } = request;
    parentPort.postMessage({ type: 'progress', id, message: 'interpreting on cpu', backend: 'cpu' });
    const losses = [];
    for (let i = request.options.fromLoss ?? 0; i < names.length; i++) {
      parentPort.postMessage({ type: 'loss-started', id, index: i, loss: summary(i) });
      if (names[i] === 'b') { ${die} }
      const report = { ...summary(i), findings: [] };
      losses.push(report);
      parentPort.postMessage({ type: 'loss-diagnosed', id, index: i, report });
    }
    const report = { file: request.file, losses, findings: [], notes: [] };
    parentPort.postMessage({ type: 'diagnosed', id, result: { report, backend: 'cpu', timings: { totalMs: 1 } } });
  });`;

test('a V8 fatal error in one loss takes down only the engine process: the other losses are reported', async () => {
  // "Fatal JavaScript invalid size error" aborts the whole process, not just the worker thread that
  // hit it (what a tuple doubled past 128M elements did to the extension host): growing an array past
  // V8's largest is that error.
  const dir = fakeExtension(losingWorker('let a = new Array(2 ** 25).fill(0); a = [...a, ...a, ...a, ...a, ...a];'));
  const lines = [];
  const client = new EngineClient(dir, (line) => lines.push(line), 'cli');
  try {
    const { report, backend } = await client.diagnose('x.py', SOURCE, {});
    assert.equal(backend, 'cpu');
    assert.deepEqual(
      report.losses.map((l) => [l.entry, l.error?.kind]),
      [
        ['a', undefined],
        ['b', 'limit'],
        ['c', undefined],
      ],
    );
    const crash = report.losses[1].error;
    assert.match(crash.message, /stopped the engine \(Fatal JavaScript invalid size error \d+, signal SIGTRAP\)/);
    assert.equal(crash.line, 4);
    assert.ok(
      lines.some((l) => /cli engine stopped: Fatal JavaScript invalid size/.test(l)),
      lines.join('\n'),
    );
  } finally {
    await client.dispose();
  }
});

test('an engine process killed in the middle of a loss: the file goes on from the next loss', async () => {
  // Killed after running for a moment, as a loss that exhausts the machine's memory is (by the kernel).
  const die = "const until = Date.now() + 300; while (Date.now() < until); process.kill(process.pid, 'SIGKILL');";
  const dir = fakeExtension(losingWorker(die));
  const client = new EngineClient(dir, () => {}, 'cli');
  try {
    const { report } = await client.diagnose('x.py', SOURCE, {});
    assert.deepEqual(
      report.losses.map((l) => l.entry),
      ['a', 'b', 'c'],
    );
    assert.match(report.losses[1].error.message, /stopped the engine \(signal SIGKILL\)/);
    // The next file runs in a fresh process.
    const again = await client.diagnose('y.py', SOURCE, {});
    assert.equal(again.report.losses.length, 3);
  } finally {
    await client.dispose();
  }
});

test('the watchdog: a request that ignores its cancel for a second is killed, and the queue goes on', async () => {
  // Loops forever on a diagnosis without polling the cancel flag (a native kernel, a parse).
  const dir = fakeExtension(`
    const { parentPort } = require('node:worker_threads');
    parentPort.on('message', (request) => {
      if (request.type === 'diagnose') for (;;);
      parentPort.postMessage({ type: 'discovered', id: request.id, losses: [] });
    });`);
  const lines = [];
  const client = new EngineClient(dir, (line) => lines.push(line), 'diagnosis');
  const listeners = [];
  const token = { isCancellationRequested: false, onCancellationRequested: (listener) => listeners.push(listener) };
  try {
    const stuck = client.diagnose('x.py', SOURCE, {}, token);
    // CodeLens asks while the diagnosis runs: it waits in the queue.
    const lenses = client.discover(SOURCE);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const cancelledAt = Date.now();
    token.isCancellationRequested = true;
    listeners.forEach((l) => l());
    await assert.rejects(stuck, (error) => error.cancelled === true);
    const waited = Date.now() - cancelledAt;
    assert.ok(waited >= 900 && waited < 5000, `answered ${waited} ms after the cancel`);
    assert.deepEqual(await lenses, [], 'the queued discovery runs in a fresh engine');
    assert.ok(
      lines.some((l) => /did not answer a cancel within 1000 ms/.test(l)),
      lines.join('\n'),
    );
  } finally {
    await client.dispose();
  }
});

test('a request cancelled while queued never runs', async () => {
  const client = new EngineClient(ROOT, () => {}, 'test');
  try {
    const token = { isCancellationRequested: true, onCancellationRequested: () => {} };
    await assert.rejects(client.diagnose('x.py', SOURCE, { backend: 'cpu' }, token), (e) => e.cancelled === true);
    assert.equal((await client.discover(SOURCE)).length, 1);
  } finally {
    await client.dispose();
  }
});

test('closing the client answers its running and queued requests as cancelled', async () => {
  const dir = fakeExtension(`
    const { parentPort } = require('node:worker_threads');
    parentPort.on('message', () => { for (;;); });`);
  const client = new EngineClient(dir, () => {}, 'diagnosis');
  const running = client.diagnose('x.py', SOURCE, {});
  const queued = client.diagnose('y.py', SOURCE, {});
  const answered = [running, queued].map((request) => assert.rejects(request, (error) => error.cancelled === true));
  await new Promise((resolve) => setTimeout(resolve, 300));
  await client.dispose();
  await Promise.all(answered);
});

test('an engine that cannot start says why', async () => {
  const dir = mkdtempSync(join(scratch, 'no-engine-'));
  const client = new EngineClient(dir, () => {}, 'diagnosis');
  try {
    const { report } = await client.diagnose('x.py', SOURCE, {});
    assert.match(
      report.error.message,
      /the engine stopped while loading it \(Error: Cannot find module .*engineHost\.js/,
    );
  } finally {
    await client.dispose();
  }
});

/** The pids of a process's children (Linux: from /proc). */
function childPids(pid) {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(pid);
      } catch {
        return false; // ended meanwhile
      }
    })
    .map(Number);
}

/** Whether a process runs (a zombie has ended: an orphan waits there until its new parent reaps it). */
const alive = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] !== 'Z';
  } catch {
    return false;
  }
};

test(
  'the engine process ends with its host, even in the middle of a request',
  { skip: process.platform !== 'linux' },
  async () => {
    const dir = fakeExtension(`
    const { parentPort } = require('node:worker_threads');
    // Native work (a TF.js kernel, a parse) that the thread cannot leave: exiting would wait for it.
    parentPort.on('message', () => require('node:crypto').pbkdf2Sync('x', 'y', 1e8, 64, 'sha512'));`);
    const host = spawn(process.execPath, [
      '-e',
      `const { EngineClient } = require(${JSON.stringify(join(scratch, 'engineClient.js'))});
     new EngineClient(${JSON.stringify(dir)}, () => {}, 'test').diagnose('x.py', '', {});
     setTimeout(() => console.log('running'), 500);`,
    ]);
    await new Promise((resolve) => host.stdout.once('data', resolve));
    const [engine] = childPids(host.pid);
    assert.ok(engine && alive(engine), 'the engine process runs');
    host.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(alive(engine), false, 'the engine process is gone a second after its host');
  },
);
