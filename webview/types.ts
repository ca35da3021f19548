// The engine and protocol shapes the panel renders, in one place (type-only: nothing of the engine
// is bundled into the webview).
export type { ReportPanelState, ReportTarget, ProbeState, WebviewMessage, WebviewRequest } from '../src/protocol';
export type { ClassWeights, Finding, LossPlots, LossProbe, LossReport, ProbeLevel, ProbeSetting, RuleId, Severity } from '../src/engine';
export type { ResolvedContract } from '../src/engine/contract';
export type {
  ModelMetrics as Evaluation, GradientHealth, MaskSnapshot, ProgressEvent, RunResult, RunRole, RunStatus, SnapshotSlice,
} from '../src/engine/probe/types';

import type { WebviewMessage } from '../src/protocol';

export type ReportMessage = Extract<WebviewMessage, { type: 'report' }>;
