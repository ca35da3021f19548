// The engine process: a child process the hosts (extension host, CLI) fork, so that nothing a loss
// does can take them down. V8's fatal errors ("invalid size", some out-of-memory paths) abort the
// whole process, not just the thread that hit them; a worker thread's heap limit holds only for
// ordinary heap exhaustion. This process relays requests to the engine's worker thread and turns
// the host's cancel messages into the shared flag the worker polls (the interpreter runs
// synchronously, so the worker cannot read messages while it runs). When the worker dies, the
// process says why and exits; the host starts a fresh one.
import { join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { EngineRequest, EngineResponse, WorkerRequest, WorkerResponse } from '../protocol';

/** How the host configures this process: the first argument, as JSON. */
export interface EngineHostConfig {
  resourceLimits?: ResourceLimits;
}

const config: EngineHostConfig = JSON.parse(process.argv[2] ?? '{}');
const cancelFlags = new Map<number, Int32Array>();
let stopping = false;

function send(message: EngineResponse): Promise<void> {
  return new Promise((resolve) =>
    process.connected ? process.send!(message, undefined, {}, () => resolve()) : resolve(),
  );
}

/** Tells the host why the engine stops, then exits: the host reports it and starts a fresh process. */
async function stop(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  await send({ type: 'engine-stopped', reason });
  process.exit(1);
}

const worker = new Worker(join(__dirname, 'worker.js'), { resourceLimits: config.resourceLimits });
worker.on('message', (response: WorkerResponse) => {
  if (['discovered', 'diagnosed', 'evaluated', 'error'].includes(response.type)) cancelFlags.delete(response.id);
  void send(response);
});
worker.on('error', (error: Error & { code?: string }) => {
  const heap = config.resourceLimits?.maxOldGenerationSizeMb;
  const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
  void stop(outOfMemory ? `out of memory${heap ? ` (heap limit ${heap} MB)` : ''}` : error.message);
});
worker.on('exit', (code) => void stop(`the engine thread exited with code ${code}`));

process.on('message', (request: EngineRequest) => {
  if (request.type === 'cancel') {
    const flag = cancelFlags.get(request.id);
    if (flag) Atomics.store(flag, 0, 1);
    return;
  }
  if (request.type !== 'diagnose') {
    worker.postMessage(request satisfies WorkerRequest);
    return;
  }
  const cancel = new SharedArrayBuffer(4);
  cancelFlags.set(request.id, new Int32Array(cancel));
  worker.postMessage({ ...request, cancel } satisfies WorkerRequest);
});
// The host is gone (closed, killed): nothing is left to answer. Killed, not exited: an exit waits
// for the worker thread to stop, which a TF.js kernel or a parse can hold for seconds.
process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
