// The hosts' side of the engine (the extension host's and the CLI's): typed requests, progress and
// cancellation, one request at a time in an engine process that is restarted whenever it dies. A
// request that does not answer its cancel within a second has its process killed, so the requests
// queued behind it (CodeLens discovery) still run. A diagnosis whose process dies in the middle of
// a loss reports that loss's error and goes on with the file's other losses in a fresh process.
import type { ResourceLimits } from 'node:worker_threads';
import type { ProgressEvent } from '../engine';
import type {
  DiagnoseRequestOptions,
  DiagnoseResult,
  DiscoveredLossSummary,
  EngineRequest,
  EvaluateRequest,
  EvaluateResult,
  WorkerResponse,
} from '../protocol';
import { EngineProcess } from './engineProcess';
import { type LossListeners, type RunOutcome, diagnoseResuming } from './resumeAfterCrash';

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

export type CancellationLike = {
  isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): unknown;
};

export interface EngineClientOptions {
  /** The engine thread's heap limit: past it the engine process stops (reported, restarted), never the host. */
  resourceLimits?: ResourceLimits;
  /** How long a running request may take to answer its cancel before its process is killed. */
  cancelGraceMs?: number;
}

type Request =
  | { type: 'discover'; source: string }
  | { type: 'evaluate'; request: EvaluateRequest }
  | { type: 'diagnose'; file: string; source: string; options: DiagnoseRequestOptions };

interface Job {
  id: number;
  request: Request;
  listeners: RequestListeners & LossListeners;
  resolve: (outcome: RunOutcome) => void;
  cancelRequested: boolean;
}

/** A request's outcome that is not its result, as the error its caller gets. */
function engineError(outcome: RunOutcome): EngineError {
  if (outcome.type === 'stopped' && outcome.cancelled) return new EngineError('cancelled', undefined, true);
  if (outcome.type === 'stopped') return new EngineError(`the Loss Lens engine stopped (${outcome.reason})`);
  if (outcome.type === 'error') return new EngineError(outcome.message, outcome.line, outcome.cancelled);
  return new EngineError(`unexpected engine response ${outcome.type}`);
}

const DEFAULT_OPTIONS: Required<EngineClientOptions> = {
  resourceLimits: { maxOldGenerationSizeMb: 4096 },
  cancelGraceMs: 1000,
};

export class EngineClient {
  private engine?: EngineProcess;
  private nextId = 1;
  private readonly queue: Job[] = [];
  private running?: Job;
  private watchdog?: NodeJS.Timeout;
  private readonly options: Required<EngineClientOptions>;

  constructor(
    /** The folder holding dist/engineHost.js and dist/worker.js (the extension's, the package's). */
    private readonly extensionPath: string,
    private readonly log: (line: string) => void,
    /** Which engine this is, in log lines (the extension runs one for diagnoses, one for probes). */
    private readonly role: string,
    options: EngineClientOptions = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  async discover(source: string): Promise<DiscoveredLossSummary[]> {
    const outcome = await this.run({ type: 'discover', source });
    return outcome.type === 'discovered' ? outcome.losses : [];
  }

  /** Evaluates one loss on given tensors (`loss-lens eval`). */
  async evaluate(request: EvaluateRequest): Promise<EvaluateResult> {
    const outcome = await this.run({ type: 'evaluate', request });
    if (outcome.type === 'evaluated') return outcome.result;
    throw engineError(outcome);
  }

  /** Diagnoses a file; the token's cancellation reaches the engine's interpreter. */
  diagnose(
    file: string,
    source: string,
    options: DiagnoseRequestOptions,
    token?: CancellationLike,
    listeners: RequestListeners = {},
  ): Promise<DiagnoseResult> {
    const runOnce = (from: number | undefined, lossListeners: LossListeners) =>
      this.run({ type: 'diagnose', file, source, options: { ...options, fromLoss: from } }, token, {
        ...listeners,
        ...lossListeners,
      });
    return diagnoseResuming(file, options, runOnce, () => token?.isCancellationRequested === true, engineError);
  }

  /** Ends the engine process and its requests (as cancelled); a later request starts a new one. */
  async dispose(): Promise<void> {
    const engine = this.engine;
    this.engine = undefined;
    const pending = [...(this.running ? [this.running] : []), ...this.queue.splice(0)];
    this.running = undefined;
    clearTimeout(this.watchdog);
    for (const job of pending) job.resolve({ type: 'stopped', reason: 'the engine was closed', cancelled: true });
    await engine?.kill();
  }

  private run(request: Request, token?: CancellationLike, listeners: Job['listeners'] = {}): Promise<RunOutcome> {
    return new Promise((resolve) => {
      const job: Job = { id: this.nextId++, request, listeners, cancelRequested: false, resolve };
      this.queue.push(job);
      if (token?.isCancellationRequested) this.cancel(job);
      else {
        const subscription = token?.onCancellationRequested(() => this.cancel(job)) as { dispose?(): void };
        job.resolve = (outcome) => {
          subscription?.dispose?.(); // VS Code tokens keep their listeners until disposed
          resolve(outcome);
        };
      }
      this.pump();
    });
  }

  private pump(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    this.ensureEngine().send({ ...job.request, id: job.id } as EngineRequest);
  }

  private ensureEngine(): EngineProcess {
    if (this.engine) return this.engine;
    const engine = new EngineProcess(
      this.extensionPath,
      { resourceLimits: this.options.resourceLimits },
      (response) => this.received(response),
      (reason) => {
        if (this.engine !== engine) return;
        this.engine = undefined;
        this.log(`${this.role} engine stopped: ${reason}; it restarts with the next request`);
        this.finish({ type: 'stopped', reason, cancelled: this.running?.cancelRequested === true });
      },
    );
    this.engine = engine;
    return engine;
  }

  private received(response: WorkerResponse): void {
    const job = this.running;
    if (!job || response.id !== job.id) return;
    const { listeners } = job;
    if (response.type === 'progress') {
      if (response.backend) listeners.onBackend?.(response.backend);
      listeners.onProgress?.(response.message);
    } else if (response.type === 'probe-progress') listeners.onProbeProgress?.(response.loss, response.event);
    else if (response.type === 'loss-started') listeners.onLossStarted?.(response.index, response.loss);
    else if (response.type === 'loss-diagnosed') listeners.onLossDiagnosed?.(response.index, response.report);
    else this.finish(response);
  }

  /** The running request's outcome; the next request starts (in a fresh process if this one died). */
  private finish(outcome: RunOutcome): void {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    const job = this.running;
    this.running = undefined;
    job?.resolve(outcome);
    this.pump();
  }

  private cancel(job: Job): void {
    if (job.cancelRequested) return;
    job.cancelRequested = true;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.resolve({ type: 'error', id: job.id, message: 'cancelled', cancelled: true });
      return;
    }
    if (this.running !== job || !this.engine) return;
    this.engine.send({ type: 'cancel', id: job.id });
    // The watchdog: an engine stuck where it does not poll the flag (a native kernel, a parse) is killed.
    const engine = this.engine;
    this.watchdog = setTimeout(() => {
      if (this.running !== job || this.engine !== engine) return;
      this.log(`${this.role} engine did not answer a cancel within ${this.options.cancelGraceMs} ms: restarting it`);
      void engine.kill();
    }, this.options.cancelGraceMs);
  }
}
