// The extension host's side of the engine worker: typed requests, progress, cancellation through
// shared memory, and a worker that is restarted (never taking the host down) when it crashes.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ProgressEvent } from '../engine';
import type {
  DiagnoseRequestOptions,
  DiagnoseResult,
  DiscoveredLossSummary,
  WorkerRequest,
  WorkerResponse,
} from '../protocol';

export class EngineError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly cancelled = false,
  ) {
    super(message);
  }
}

/** What a running request reports before its result: status lines and a probe's training steps. */
export interface RequestListeners {
  onProgress?: (message: string) => void;
  onProbeProgress?: (loss: { entry: string; name: string }, event: ProgressEvent) => void;
}

interface Pending extends RequestListeners {
  resolve: (response: WorkerResponse) => void;
}

export type CancellationLike = {
  isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): unknown;
};

export class EngineClient {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly extensionPath: string,
    private readonly log: (line: string) => void,
    /** Which worker this is, in log lines (the extension runs one for diagnoses, one for probes). */
    private readonly role: string,
    /** The worker's heap limit: past it the worker dies (reported, restarted), never the host. */
    private readonly resourceLimits = { maxOldGenerationSizeMb: 4096 },
  ) {}

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(join(this.extensionPath, 'dist', 'worker.js'), { resourceLimits: this.resourceLimits });
    worker.on('message', (response: WorkerResponse) => {
      const pending = this.pending.get(response.id);
      if (!pending) return;
      if (response.type === 'progress') pending.onProgress?.(response.message);
      else if (response.type === 'probe-progress') pending.onProbeProgress?.(response.loss, response.event);
      else {
        this.pending.delete(response.id);
        pending.resolve(response);
      }
    });
    const fail = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.log(`${this.role} worker stopped: ${why}; it restarts with the next request`);
      for (const [id, pending] of this.pending)
        pending.resolve({ type: 'error', id, message: `the Loss Lens engine stopped (${why})` });
      this.pending.clear();
    };
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private request(message: Omit<WorkerRequest, 'id'>, listeners: RequestListeners = {}): Promise<WorkerResponse> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, ...listeners });
      this.ensureWorker().postMessage({ ...message, id });
    });
  }

  async discover(source: string): Promise<DiscoveredLossSummary[]> {
    const response = await this.request({ type: 'discover', source } as Omit<WorkerRequest, 'id'>);
    return response.type === 'discovered' ? response.losses : [];
  }

  /** Diagnoses a file; `isCancelled` is mirrored into the worker through shared memory. */
  async diagnose(
    file: string,
    source: string,
    options: DiagnoseRequestOptions,
    token?: CancellationLike,
    listeners?: RequestListeners,
  ): Promise<DiagnoseResult> {
    const cancel = new SharedArrayBuffer(4);
    if (token?.isCancellationRequested) Atomics.store(new Int32Array(cancel), 0, 1);
    token?.onCancellationRequested(() => Atomics.store(new Int32Array(cancel), 0, 1));
    const response = await this.request(
      { type: 'diagnose', file, source, options, cancel } as Omit<WorkerRequest, 'id'>,
      listeners,
    );
    if (response.type === 'diagnosed') return response.result;
    if (response.type === 'error') throw new EngineError(response.message, response.line, response.cancelled);
    throw new EngineError(`unexpected engine response ${response.type}`);
  }

  dispose(): Promise<number> | undefined {
    const worker = this.worker;
    this.worker = undefined;
    return worker?.terminate();
  }
}
