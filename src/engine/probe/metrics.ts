// What a model state scores on the evaluation images, from hard predictions (argmax over the
// classes, or logit > 0 for one sigmoid channel): per-class Dice pooled over the images, the
// predicted foreground fraction against the true one, and lesion-level TP/FP/FN. The same logits
// give the mask snapshot when one is asked for.
import * as tf from '@tensorflow/tfjs';
import { type Connectivity, NO_LESIONS, addLesionCounts, matchLesions } from './components';
import type { ProbeBatch, ProbeDataset } from './data';
import type { ProbeModel } from './models';
import { type SnapshotSite, foregroundProbability, maskSnapshot } from './snapshots';
import type { MaskSnapshot, ModelMetrics } from './types';

/** One model state measured: its metrics, and its mask snapshot when one was asked for. */
export interface Measurement {
  evaluation: ModelMetrics;
  snapshot?: MaskSnapshot;
}

/** Class index per voxel, (N, *spatial), from channels-last logits. */
export function hardPrediction(logits: tf.Tensor): tf.Tensor {
  const channels = logits.shape[logits.rank - 1];
  if (channels === 1) return tf.cast(tf.greater(tf.squeeze(logits, [logits.rank - 1]), 0), 'int32');
  return tf.argMax(logits, -1);
}

/** Per-class voxel counts (predicted, true, both) accumulated over images. */
interface OverlapCounts {
  predicted: number[];
  truth: number[];
  both: number[];
}

function countOverlap(counts: OverlapCounts, predicted: Int32Array, truth: Int32Array): void {
  for (let i = 0; i < truth.length; i++) {
    const p = predicted[i];
    const t = truth[i];
    counts.predicted[p]++;
    counts.truth[t]++;
    if (p === t) counts.both[t]++;
  }
}

/** Lesion counts of one batch: per image, per foreground class. */
function batchLesions(
  predicted: Int32Array,
  batch: ProbeBatch,
  spatial: number[],
  classes: number,
  connectivity: Connectivity,
) {
  const voxels = spatial.reduce((a, b) => a * b, 1);
  let total = NO_LESIONS;
  const predictedMask = new Uint8Array(voxels);
  const trueMask = new Uint8Array(voxels);
  for (let n = 0; n < batch.count; n++) {
    for (let c = 1; c < classes; c++) {
      for (let v = 0; v < voxels; v++) {
        predictedMask[v] = predicted[n * voxels + v] === c ? 1 : 0;
        trueMask[v] = batch.labels[n * voxels + v] === c ? 1 : 0;
      }
      total = addLesionCounts(total, matchLesions(predictedMask, trueMask, spatial, connectivity));
    }
  }
  return total;
}

/**
 * The hard prediction of one batch, (N, *spatial), and with `site` (which must lie in this batch)
 * the snapshot at `step`, from one computation of the logits.
 */
function predictBatch(
  model: ProbeModel,
  batch: ProbeBatch,
  step: number,
  site?: SnapshotSite,
): { predicted: Int32Array; snapshot?: MaskSnapshot } {
  const [hard, foreground] = tf.tidy(() => {
    const logits = model.logits(batch);
    return site ? [hardPrediction(logits), foregroundProbability(logits, site)] : [hardPrediction(logits)];
  });
  const predicted = hard.dataSync() as Int32Array;
  const snapshot =
    site && foreground ? maskSnapshot(site, step, foreground.dataSync() as Float32Array, predicted) : undefined;
  tf.dispose([hard, foreground]);
  return { predicted, snapshot };
}

/** Only the snapshot (a cancelled run's last step, when its evaluation went out without one). */
export function snapshotModel(model: ProbeModel, data: ProbeDataset, step: number, site: SnapshotSite): MaskSnapshot {
  return predictBatch(model, model.evaluationBatches(data)[site.batch], step, site).snapshot!;
}

/** Metrics at `step`, and the snapshot of `site` when given. */
export function evaluateModel(
  model: ProbeModel,
  data: ProbeDataset,
  step: number,
  connectivity: Connectivity = 'face',
  site?: SnapshotSite,
): Measurement {
  const classes = data.labelClasses;
  const counts: OverlapCounts = {
    predicted: new Array(classes).fill(0),
    truth: new Array(classes).fill(0),
    both: new Array(classes).fill(0),
  };
  let lesions = NO_LESIONS;
  let snapshot: MaskSnapshot | undefined;
  for (const [position, batch] of model.evaluationBatches(data).entries()) {
    const measured = predictBatch(model, batch, step, site?.batch === position ? site : undefined);
    const { predicted } = measured;
    snapshot ??= measured.snapshot;
    countOverlap(counts, predicted, batch.labels);
    lesions = addLesionCounts(lesions, batchLesions(predicted, batch, data.spatial, classes, connectivity));
  }
  const voxels = counts.truth.reduce((a, b) => a + b, 0);
  const dicePerClass = counts.truth.map((t, c) =>
    t + counts.predicted[c] === 0 ? null : (2 * counts.both[c]) / (t + counts.predicted[c]),
  );
  const foreground = dicePerClass.slice(1).filter((d): d is number => d !== null);
  const evaluation: ModelMetrics = {
    step,
    dicePerClass,
    // Nothing to find and nothing predicted is a perfect score.
    foregroundDice: foreground.length ? foreground.reduce((a, b) => a + b, 0) / foreground.length : 1,
    predictedForeground: 1 - counts.predicted[0] / voxels,
    trueForeground: 1 - counts.truth[0] / voxels,
    predictedPerClass: counts.predicted.map((p) => p / voxels),
    truePerClass: counts.truth.map((t) => t / voxels),
    lesions,
  };
  return snapshot ? { evaluation, snapshot } : { evaluation };
}
