// The engine worker: a thread of the engine process (src/host/engineHost.ts), answers protocol
// requests one at a time. Cancellation arrives through shared memory because the interpreter runs
// synchronously.
import { parentPort } from 'node:worker_threads';
import {
  InterpreterError,
  LossProgram,
  backendFromEnvironment,
  diagnosableLosses,
  diagnoseSource,
  evaluateFile,
  fileSystemHost,
  initBackend,
  projectLayout,
} from './engine';
import type { EvaluateRequest, ProjectRequest, WorkerRequest, WorkerResponse } from './protocol';

const post = (message: WorkerResponse) => parentPort?.postMessage(message);

const failure = (id: number, error: unknown, cancelled = false): WorkerResponse => ({
  type: 'error',
  id,
  message: error instanceof Error ? error.message : String(error),
  line: error instanceof InterpreterError ? error.line : undefined,
  cancelled,
});

const projectContext = (project: ProjectRequest | undefined) =>
  project && { host: fileSystemHost, layout: projectLayout(fileSystemHost, project.file, project) };

async function evaluate(id: number, request: EvaluateRequest): Promise<void> {
  try {
    const { project, ...rest } = request;
    const { value, gradNorm, backend, framework, argOrder } = await evaluateFile({
      ...rest,
      project: projectContext(project),
    });
    post({ type: 'evaluated', id, result: { value, gradNorm, backend, framework, argOrder } });
  } catch (error) {
    post(failure(id, error));
  }
}

async function handle(request: WorkerRequest): Promise<void> {
  if (request.type === 'discover') {
    try {
      const module = await LossProgram.parse(request.source);
      const losses = diagnosableLosses(module).map((l) => ({
        name: l.name,
        entry: l.entry,
        kind: l.kind,
        line: l.range.line,
        endLine: l.range.endLine,
      }));
      post({ type: 'discovered', id: request.id, losses });
    } catch (error) {
      post({
        type: 'discovered',
        id: request.id,
        losses: [],
        error: { message: (error as Error).message, line: error instanceof InterpreterError ? error.line : undefined },
      });
    }
    return;
  }
  if (request.type === 'evaluate') return evaluate(request.id, request.request);
  const flag = new Int32Array(request.cancel);
  const isCancelled = () => Atomics.load(flag, 0) !== 0;
  try {
    const started = Date.now();
    const backend = await initBackend(request.options.backend ?? backendFromEnvironment());
    post({ type: 'progress', id: request.id, message: `interpreting on ${backend}`, backend });
    const { entry, contract, probe, plots, project, probeBudget, fromLoss } = request.options;
    if (probe && probe !== 'none') post({ type: 'progress', id: request.id, message: `training the ${probe} probe` });
    const report = await diagnoseSource(request.file, request.source, {
      project: projectContext(project),
      entry,
      contract,
      isCancelled,
      probe,
      plots,
      probeBudget,
      fromLoss,
      onProbeProgress: (loss, event) => post({ type: 'probe-progress', id: request.id, loss, event }),
      onLossStarted: (index, loss) => post({ type: 'loss-started', id: request.id, index, loss }),
      onLossDiagnosed: (index, report) => post({ type: 'loss-diagnosed', id: request.id, index, report }),
    });
    if (isCancelled()) throw new InterpreterError('cancelled', 'cancelled');
    post({
      type: 'diagnosed',
      id: request.id,
      result: { report, backend, timings: { totalMs: Date.now() - started } },
    });
  } catch (error) {
    post(failure(request.id, error, error instanceof InterpreterError && error.kind === 'cancelled'));
  }
}

// One request at a time, in order: the engine (and TF.js) are not re-entrant.
let queue = Promise.resolve();
parentPort?.on('message', (request: WorkerRequest) => {
  queue = queue.then(() => handle(request));
});
