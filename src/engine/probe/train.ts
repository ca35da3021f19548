// Trains several losses side by side on the same data from the same initial model: step k of every
// loss runs before step k + 1 of any, so live curves advance together and a cancelled probe still
// compares the losses at the same step. Cancellation is checked between steps (an interpreted loss
// may also stop itself mid-step; then only its own curve is one step short). Every few steps each
// model is evaluated and a progress event goes out; the event loop gets a turn just before, so a
// worker can receive a cancel message and the event of the last step knows it is the last (it then
// carries a mask snapshot). Mask snapshots: step 0, about five evaluation steps spread over the
// budget, and the last step.
import type { Contract } from '../contract';
import type { Connectivity } from './components';
import type { ProbeDataset } from './data';
import type { ModelWeights } from './models';
import { LossRun } from './run';
import { type SnapshotSite, plannedSnapshotSteps } from './snapshots';
import type { NamedLoss, ProgressEvent, RunResult, RunRole } from './types';

export interface TrainOptions {
  data: ProbeDataset;
  weights: ModelWeights;
  contract: Contract;
  losses: (NamedLoss & { role: RunRole })[];
  steps: number;
  /** Evaluate (and report progress) every this many steps, and at the last one. */
  evalEvery: number;
  learningRate: number;
  /** Adam's epsilon (undefined: TF.js's default, 1e-7). */
  adamEpsilon?: number;
  connectivity?: Connectivity;
  /** Where mask snapshots are taken (see snapshots.ts); none without it. */
  snapshotSite?: SnapshotSite;
  onProgress?: (event: ProgressEvent) => void;
  isCancelled?: () => boolean;
}

export interface TrainResult {
  runs: RunResult[];
  /** Steps completed by every run (fewer than asked when cancelled). */
  stepsRun: number;
  cancelled: boolean;
  parameters: number;
}

const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function train(options: TrainOptions): Promise<TrainResult> {
  const settings = {
    data: options.data,
    weights: options.weights,
    contract: options.contract,
    learningRate: options.learningRate,
    adamEpsilon: options.adamEpsilon,
    connectivity: options.connectivity ?? 'face',
    snapshotSite: options.snapshotSite,
  };
  const runs = options.losses.map((l) => new LossRun(l.name, l.role, l.loss, settings));
  const cancelled = () => options.isCancelled?.() === true || runs.some((r) => r.status === 'cancelled');
  const snapshotSteps = plannedSnapshotSteps(options.steps, options.evalEvery);
  let lastEvent = 0;
  const report = (step: number) => {
    const snapshot = snapshotSteps.has(step) || cancelled();
    // Every run starts from the same weights: one measurement of step 0 serves all.
    const initial = step === 0 ? runs[0]?.evaluate(0, snapshot) : undefined;
    const measured = runs.map((run, i) => (initial && i === 0 ? initial : run.evaluate(step, snapshot, initial)));
    options.onProgress?.({
      step,
      steps: options.steps,
      runs: runs.map((run, i) => ({
        name: run.name,
        role: run.role,
        status: run.status,
        fromStep: lastEvent + 1,
        loss: run.curves.loss.slice(lastEvent),
        gradNorm: run.curves.gradNorm.slice(lastEvent),
        evaluation: measured[i].evaluation,
        ...(measured[i].snapshot ? { snapshot: measured[i].snapshot } : {}),
      })),
    });
    lastEvent = step;
  };
  try {
    report(0);
    let step = 0;
    while (step < options.steps && !cancelled()) {
      step++;
      for (const run of runs) run.step(step);
      if (step % options.evalEvery === 0 || step === options.steps) {
        await nextTurn();
        report(step);
      }
    }
    if (step > lastEvent) report(step);
    // Cancelled from within the last progress event's handler: that event had no snapshot.
    for (const run of runs) run.snapshotIfMissing(step);
    return {
      runs: runs.map((r) => r.result()),
      stepsRun: step,
      cancelled: cancelled(),
      parameters: runs[0]?.parameters ?? 0,
    };
  } finally {
    for (const run of runs) run.dispose();
  }
}
