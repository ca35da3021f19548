// The training probe as the panel draws it: one series per run (loss and gradient norm per step,
// evaluations, mask snapshots), built either live from progress events or, once the probe has
// finished, from the report's complete curves. Pure data: no DOM.
import type {
  Evaluation,
  GradientHealth,
  LossProbe,
  MaskSnapshot,
  ProbeLevel,
  ProgressEvent,
  RunRole,
  RunStatus,
  SnapshotSlice,
} from './types';

export interface RunSeries {
  name: string;
  role: RunRole;
  status: RunStatus;
  error?: string;
  /** loss[i] is the loss at step i + 1 (null: NaN/Inf or not computed). */
  loss: (number | null)[];
  gradNorm: (number | null)[];
  evaluations: Evaluation[];
  snapshots: MaskSnapshot[];
  /** Known once the probe has finished. */
  stepsRun?: number;
  timeMs?: number;
  gradient?: GradientHealth;
}

export interface ProbeSeries {
  source: 'live' | 'report';
  level?: ProbeLevel;
  step: number;
  steps: number;
  runs: RunSeries[];
  slice: SnapshotSlice | null;
}

export const emptyLive = (level?: ProbeLevel): ProbeSeries => ({
  source: 'live',
  level,
  step: 0,
  steps: 0,
  runs: [],
  slice: null,
});

export function fromReport(probe: LossProbe): ProbeSeries {
  return {
    source: 'report',
    level: probe.level,
    step: probe.stepsRun,
    steps: probe.steps,
    slice: probe.snapshotSlice ?? null,
    runs: (probe.runs ?? []).map((run) => ({
      name: run.name,
      role: run.role,
      status: run.status,
      error: run.error,
      loss: run.curves?.loss ?? [],
      gradNorm: run.curves?.gradNorm ?? [],
      evaluations: run.curves?.evaluations ?? (run.final ? [run.final] : []),
      snapshots: run.snapshots ?? [],
      stepsRun: run.stepsRun,
      timeMs: run.timeMs,
      gradient: run.gradient,
    })),
  };
}

/** What one progress event added, so charts can extend their traces instead of redrawing. */
export interface Appended {
  /** True when the event changed the set of runs or did not continue the series where they ended. */
  restructured: boolean;
  /** Per run index: loss values appended (in order) and whether an evaluation was added. */
  runs: { loss: (number | null)[]; fromStep: number; evaluation?: Evaluation; snapshot?: MaskSnapshot }[];
}

/** Adds a progress event to the live series in place. */
export function applyProgress(series: ProbeSeries, event: ProgressEvent): Appended {
  let restructured = false;
  series.step = event.step;
  series.steps = event.steps;
  const appended: Appended['runs'] = [];
  for (const run of event.runs ?? []) {
    let target = series.runs.find((r) => r.name === run.name);
    if (!target) {
      target = {
        name: run.name,
        role: run.role,
        status: run.status,
        loss: [],
        gradNorm: [],
        evaluations: [],
        snapshots: [],
      };
      series.runs.push(target);
      restructured = true;
    }
    const index = series.runs.indexOf(target);
    target.status = run.status;
    const start = Math.max(0, (run.fromStep ?? target.loss.length + 1) - 1);
    if (start !== target.loss.length) restructured = true;
    const losses = run.loss ?? [];
    const norms = run.gradNorm ?? [];
    for (let i = 0; i < losses.length; i++) target.loss[start + i] = losses[i];
    for (let i = 0; i < norms.length; i++) target.gradNorm[start + i] = norms[i];
    for (let i = 0; i < target.loss.length; i++) if (target.loss[i] === undefined) target.loss[i] = null;
    let evaluation: Evaluation | undefined;
    if (run.evaluation) {
      const last = target.evaluations[target.evaluations.length - 1];
      if (!last || run.evaluation.step > last.step) {
        target.evaluations.push(run.evaluation);
        evaluation = run.evaluation;
      } else if (run.evaluation.step !== last.step) restructured = true;
    }
    let snapshot: MaskSnapshot | undefined;
    if (run.snapshot && !target.snapshots.some((s) => s.step === run.snapshot?.step)) {
      target.snapshots.push(run.snapshot);
      snapshot = run.snapshot;
    }
    appended[index] = { loss: losses, fromStep: start + 1, evaluation, snapshot };
  }
  for (let i = 0; i < series.runs.length; i++) appended[i] ??= { loss: [], fromStep: series.runs[i].loss.length + 1 };
  return { restructured, runs: appended };
}

/** The user's run first, then the references in their order. */
export const userRun = (series: ProbeSeries): RunSeries | undefined => series.runs.find((r) => r.role === 'user');

/** The latest evaluation of a run, if any. */
export const latestEvaluation = (run: RunSeries): Evaluation | undefined => run.evaluations[run.evaluations.length - 1];

/** Every step with a snapshot in any run, ascending. */
export function snapshotSteps(series: ProbeSeries): number[] {
  return [...new Set(series.runs.flatMap((r) => r.snapshots.map((s) => s.step)))].sort((a, b) => a - b);
}

/** A run's snapshot at `step`, else its latest one before it. */
export function snapshotAt(run: RunSeries, step: number): MaskSnapshot | undefined {
  let best: MaskSnapshot | undefined;
  for (const s of run.snapshots) if (s.step <= step && (!best || s.step > best.step)) best = s;
  return best;
}
