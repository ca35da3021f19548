// The panel's model and how each message from the extension changes it. Rendering reads the model;
// nothing here touches the DOM.
import { type ProbeSeries, applyProgress, emptyLive, fromReport, type Appended } from './probeData';
import type { ProbeLevel, ProbeState, ProgressEvent, ReportMessage, ReportTarget } from './types';

export interface PanelModel {
  target?: ReportTarget;
  report?: ReportMessage;
  probeState: ProbeState;
  /** Why a probe ended early (failed, cancelled). */
  probeMessage?: string;
  /** The curves on screen: live while a probe runs, else the report's. */
  probe?: ProbeSeries;
  status?: { message: string; busy: boolean };
}

export const initialModel = (): PanelModel => ({ probeState: 'idle' });

const sameTarget = (a: ReportTarget | undefined, b: ReportTarget): boolean =>
  !!a && a.uri === b.uri && a.entry === b.entry;

export function applyReport(model: PanelModel, message: ReportMessage): void {
  if (!sameTarget(model.target, message.target)) {
    model.probe = undefined;
    model.probeState = 'idle';
    model.probeMessage = undefined;
  }
  model.target = message.target;
  model.report = message;
  const probe = message.loss?.probe;
  const live = model.probeState === 'running' && model.probe?.source === 'live' ? model.probe : undefined;
  // The finished probe's report usually follows 'probe-ended'; if it comes first, it is this probe's
  // when it covers at least the steps drawn live.
  const running = !!live && !(probe && probe.steps === live.steps && probe.stepsRun >= live.step);
  if (probe && !running) {
    model.probe = fromReport(probe);
    model.probeState = probe.cancelled ? 'cancelled' : 'done';
  } else if (!probe && model.probe?.source === 'report') {
    // A new diagnosis without a probe: the old curves describe another version of the loss.
    model.probe = undefined;
    if (model.probeState === 'done') model.probeState = 'idle';
  }
  if (message.loss?.probeError && !running) {
    model.probeState = 'failed';
    model.probeMessage = message.loss.probeError;
  }
}

export function applyProbeStarted(model: PanelModel, level: ProbeLevel): void {
  model.probe = emptyLive(level);
  model.probeState = 'running';
  model.probeMessage = undefined;
}

export function applyProbeProgress(model: PanelModel, event: ProgressEvent): Appended {
  if (!model.probe || model.probe.source !== 'live')
    model.probe = emptyLive(model.report?.probeLevel === 'full' ? 'full' : 'quick');
  // Progress proves a probe runs, whatever an earlier 'probe-ended' said (a replaced probe's end can
  // arrive after its successor started).
  model.probeState = 'running';
  model.probeMessage = undefined;
  if (!model.probe.slice) model.probe.slice = event.snapshotSlice ?? model.report?.loss?.probe?.snapshotSlice ?? null;
  return applyProgress(model.probe, event);
}

export function applyProbeEnded(
  model: PanelModel,
  state: Exclude<ProbeState, 'idle' | 'running'>,
  message?: string,
): void {
  model.probeState = state;
  model.probeMessage = message;
}

export function applyStatus(model: PanelModel, message: string, busy: boolean): void {
  model.status = message || busy ? { message, busy } : undefined;
}
