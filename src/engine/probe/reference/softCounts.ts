// Soft true positives, false positives and false negatives per class, the statistics the Dice,
// Jaccard, Tversky and generalized Dice losses are built from (MONAI's compute_tp_fp_fn).
import * as tf from '@tensorflow/tfjs';

export interface OverlapOptions {
  /** Axes summed over: the spatial axes, plus the batch axis when pooling over the batch. */
  axes: number[];
  /** 2 sums squared prediction and target in the denominator terms (MONAI's squared_pred). */
  order?: 1 | 2;
  /**
   * Soft labels: tp = (|p| + |t| - |p - t|) / 2 per voxel, which is p*t for hard labels but stays
   * correct (a perfect prediction scores 1) when the target holds fractions.
   */
  softLabel?: boolean;
  /** Per-voxel weights (N or 1, 1, ...spatial); 0 takes a voxel out of every sum. */
  voxelWeights?: tf.Tensor;
}

export interface Overlap {
  tp: tf.Tensor;
  fp: tf.Tensor;
  fn: tf.Tensor;
}

/** Target volume per class, from the target alone (no path to the prediction, so it can feed comparisons). */
export function targetMass(target: tf.Tensor, axes: number[], voxelWeights?: tf.Tensor): tf.Tensor {
  return tf.sum(voxelWeights ? tf.mul(target, voxelWeights) : target, axes);
}

export function overlap(probabilities: tf.Tensor, target: tf.Tensor, options: OverlapOptions): Overlap {
  const { axes, order = 1, softLabel = false, voxelWeights } = options;
  const weighted = (t: tf.Tensor) => (voxelWeights ? tf.mul(t, voxelWeights) : t);
  const sum = (t: tf.Tensor) => tf.sum(weighted(t), axes);

  if (order === 1 && softLabel) {
    const predictionTotal = sum(tf.abs(probabilities));
    const targetTotal = sum(tf.abs(target));
    const difference = sum(tf.abs(tf.sub(probabilities, target)));
    const tp = tf.div(tf.sub(tf.add(predictionTotal, targetTotal), difference), 2);
    return { tp, fp: tf.sub(predictionTotal, tp), fn: tf.sub(targetTotal, tp) };
  }
  const tp = sum(tf.mul(probabilities, target));
  if (order === 2) {
    // |p|^2 + |t|^2 - |p - t|^2 = 2pt exactly, so the squared form needs no norm of the difference.
    return { tp, fp: tf.sub(sum(tf.square(probabilities)), tp), fn: tf.sub(sum(tf.square(target)), tp) };
  }
  // sum p - tp = sum p(1 - t) and sum t - tp = sum (1 - p)t: MONAI's "decoupled" and Tversky forms agree.
  return { tp, fp: tf.sub(sum(probabilities), tp), fn: tf.sub(sum(target), tp) };
}
