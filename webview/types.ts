// The engine and protocol shapes the panel renders, in one place (type-only: nothing of the engine
// is bundled into the webview; the protocol re-exports the engine's report types).
export type {
  ReportPanelState,
  ReportTarget,
  ProbeState,
  WebviewMessage,
  WebviewRequest,
  ClassWeights,
  Finding,
  GradientCheck,
  LossPlots,
  LossProbe,
  LossReport,
  ProbeLevel,
  ProbeSetting,
  RuleId,
  Severity,
  ResolvedContract,
  ModelMetrics as Evaluation,
  GradientHealth,
  MaskSnapshot,
  ProgressEvent,
  RunResult,
  RunRole,
  RunStatus,
  SnapshotSlice,
} from '../src/protocol';

import type { WebviewMessage } from '../src/protocol';

export type ReportMessage = Extract<WebviewMessage, { type: 'report' }>;
