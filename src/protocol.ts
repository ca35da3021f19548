// The one typed protocol between the hosts (extension host, CLI), the engine process, its worker
// thread and the report webview. Every message is plain data; only the engine process's link to its
// worker thread adds a SharedArrayBuffer for cancellation, which the worker polls while the
// interpreter runs synchronously.
import type {
  BackendPreference,
  Contract,
  EvalReport,
  EvalRequest,
  FileReport,
  LossReport,
  LossSummary,
  ProbeBudget,
  ProbeLevel,
  ProbeSetting,
  ProgressEvent,
} from './engine';

// The engine's report shapes the webview renders (types only: nothing of the engine is bundled there).
export type {
  ClassWeights,
  Finding,
  GradientCheck,
  GradientHealth,
  LossPlots,
  LossProbe,
  LossReport,
  LossSummary,
  MaskSnapshot,
  ModelMetrics,
  ProbeLevel,
  ProbeSetting,
  ProgressEvent,
  ResolvedContract,
  RuleId,
  RunResult,
  RunRole,
  RunStatus,
  Severity,
  SnapshotSlice,
} from './engine';

// The contract schema is plain data with no imports: the report names the fields and values with it.
// Imported from its own module, not the engine's index, so the webview bundle carries nothing else.
export { CONTRACT_FIELDS, contractFieldText } from './engine/contractFields';

export interface DiscoveredLossSummary {
  name: string;
  entry: string;
  kind: 'function' | 'factory' | 'class';
  line: number;
  endLine: number;
}

/** The project a diagnosed file belongs to, as the editor knows it (see src/engine/project/). */
export interface ProjectRequest {
  /** The document's absolute path. */
  file: string;
  /** The workspace folder. */
  root?: string;
  /** lossLens.extraPaths, absolute. */
  extraPaths?: string[];
  /** The Python extension's selected interpreter (its environment's site-packages are read). */
  environment?: string;
}

/** What a 'diagnose' request asks of the worker (it turns them into the engine's DiagnoseOptions). */
export interface DiagnoseRequestOptions {
  entry?: string;
  contract?: Partial<Contract>;
  backend?: BackendPreference;
  /** Where the file's imports are looked up (absolute paths); without it only the frameworks import. */
  project?: ProjectRequest;
  /** Train the loss next to the reference losses (progress streams as 'probe-progress'). */
  probe?: ProbeSetting;
  /** Compute the report's plot data (loss response, gradient per class, class weights). */
  plots?: boolean;
  /** Overrides of the probe level's budget (the CLI's --probe-steps). */
  probeBudget?: ProbeBudget;
  /**
   * Analyse the file's losses from this one on (0-based, in the order they are reported): the host
   * resumes a file after a loss that took the engine process down.
   */
  fromLoss?: number;
}

/** What `loss-lens eval` asks: one loss of a file evaluated on given tensors. */
export type EvaluateRequest = Omit<EvalRequest, 'project' | 'limits'> & { project?: ProjectRequest };

/** Its answer: the value and gradient norm, without the evaluation's trace. */
export type EvaluateResult = Omit<EvalReport, 'evaluation'>;

type DiagnoseRequest = { type: 'diagnose'; id: number; file: string; source: string; options: DiagnoseRequestOptions };
type PlainRequest =
  { type: 'discover'; id: number; source: string } | { type: 'evaluate'; id: number; request: EvaluateRequest };

/** Host → engine process (IPC). A cancel names the request it stops. */
export type EngineRequest = PlainRequest | DiagnoseRequest | { type: 'cancel'; id: number };

/** Engine process → its worker thread: a diagnosis carries the flag the worker polls to cancel. */
export type WorkerRequest = PlainRequest | (DiagnoseRequest & { cancel: SharedArrayBuffer });

export interface DiagnoseResult {
  report: FileReport;
  backend: string;
  timings: { totalMs: number };
}

export type WorkerResponse =
  | { type: 'discovered'; id: number; losses: DiscoveredLossSummary[]; error?: { message: string; line?: number } }
  /** A status line; `backend` once the engine knows which TF.js backend it runs on. */
  | { type: 'progress'; id: number; message: string; backend?: string }
  | { type: 'probe-progress'; id: number; loss: { entry: string; name: string }; event: ProgressEvent }
  /** A loss's analysis begins (`index` counts the file's losses, `fromLoss` included) and ends. */
  | { type: 'loss-started'; id: number; index: number; loss: LossSummary }
  | { type: 'loss-diagnosed'; id: number; index: number; report: LossReport }
  | { type: 'diagnosed'; id: number; result: DiagnoseResult }
  | { type: 'evaluated'; id: number; result: EvaluateResult }
  | { type: 'error'; id: number; message: string; line?: number; cancelled?: boolean };

/**
 * Engine process → host: the worker's responses, and why the engine is about to exit when its
 * worker thread died (the heap limit): the host reports it for the request that was running.
 */
export type EngineResponse = WorkerResponse | { type: 'engine-stopped'; reason: string };

/** Which loss a report panel shows. */
export interface ReportTarget {
  /** The document's URI (string form) and its workspace-relative path for display. */
  uri: string;
  file: string;
  entry: string;
}

export type ProbeState = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

/** Extension → report webview. */
export type WebviewMessage =
  /** The loss's latest report (static findings, plots, and the probe once it has run). */
  | {
      type: 'report';
      target: ReportTarget;
      backend: string;
      loss: LossReport;
      stale: boolean;
      probeLevel: ProbeSetting;
    }
  /** A probe began: the curves restart. */
  | { type: 'probe-started'; level: ProbeLevel }
  /** Every few steps of a running probe: the runs' new loss values and their latest evaluation. */
  | { type: 'probe-progress'; event: ProgressEvent }
  | { type: 'probe-ended'; state: Exclude<ProbeState, 'idle' | 'running'>; message?: string }
  /** Something the panel should say (diagnosing…, could not evaluate, the file was closed). */
  | { type: 'status'; message: string; busy: boolean };

/** Report webview → extension. */
export type WebviewRequest =
  | { type: 'ready' }
  | { type: 'reveal'; line: number; column?: number; endLine?: number; endColumn?: number }
  | { type: 'run-probe'; level: ProbeLevel }
  | { type: 'cancel-probe' }
  | { type: 'rediagnose' };

/** What the webview keeps (vscode.setState) so a reload restores the panel: its target and last report. */
export interface ReportPanelState {
  target: ReportTarget;
  report?: Extract<WebviewMessage, { type: 'report' }>;
}
