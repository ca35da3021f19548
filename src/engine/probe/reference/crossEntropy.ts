// Cross-entropy on channels-first inputs, as the compound losses use it: softmax cross-entropy
// for several classes, binary cross-entropy for one channel, from logits (stable log-softmax and
// softplus) or from probabilities (clamped logs).
import * as tf from '@tensorflow/tfjs';
import { clampedLog, logSoftmaxOverClasses } from './probabilities';
import { alongClassAxis, classCount, keptClassWeights } from './classes';
import type { Reduction } from './options';

export interface CrossEntropyOptions {
  input: 'logits' | 'probabilities';
  /**
   * One weight per class (torch CrossEntropyLoss `weight`); for a one-channel prediction the single
   * weight is BCE's pos_weight (how MONAI's DiceCELoss passes its `weight`).
   */
  classWeights?: readonly number[];
  /** (N or 1, 1, ...spatial) per-voxel weights; 0 ignores a voxel. */
  voxelWeights?: tf.Tensor;
  reduction?: Reduction;
}

/**
 * Mean = sum(v * w_y * nll) / sum(v * w_y): torch's weighted mean for label-map targets (and its
 * ignore_index when v is 0/1). One-hot targets get the same, so the value does not depend on the
 * target's encoding (torch divides by the voxel count there). Without any weight: the plain mean.
 */
function weightedReduction(
  perVoxel: tf.Tensor,
  normaliser: tf.Tensor | undefined,
  voxelWeights: tf.Tensor | undefined,
  reduction: Reduction,
): tf.Scalar {
  const weighted = voxelWeights ? tf.mul(perVoxel, voxelWeights) : perVoxel;
  if (reduction === 'sum') return tf.sum(weighted) as tf.Scalar;
  if (!normaliser && !voxelWeights) return tf.mean(perVoxel) as tf.Scalar;
  const mass = normaliser ?? tf.onesLike(perVoxel);
  return tf.div(tf.sum(weighted), tf.sum(voxelWeights ? tf.mul(mass, voxelWeights) : mass)) as tf.Scalar;
}

function categoricalCrossEntropy(prediction: tf.Tensor, target: tf.Tensor, options: CrossEntropyOptions): tf.Scalar {
  const logP = options.input === 'logits' ? logSoftmaxOverClasses(prediction) : clampedLog(prediction);
  const classes = classCount(target);
  const classWeights = options.classWeights
    ? alongClassAxis(keptClassWeights(options.classWeights, classes, false), target.rank, 1)
    : undefined;
  const weightedTarget = classWeights ? tf.mul(target, classWeights) : target;
  const perVoxel = tf.neg(tf.sum(tf.mul(weightedTarget, logP), 1, true));
  const normaliser = classWeights ? tf.sum(weightedTarget, 1, true) : undefined;
  return weightedReduction(perVoxel, normaliser, options.voxelWeights, options.reduction ?? 'mean');
}

function binaryCrossEntropy(prediction: tf.Tensor, target: tf.Tensor, options: CrossEntropyOptions): tf.Scalar {
  const positiveWeight = options.classWeights?.[0] ?? 1;
  // -log p and -log(1 - p); from logits these are softplus(-x) and softplus(x).
  const [negLogP, negLogNotP] =
    options.input === 'logits'
      ? [tf.softplus(tf.neg(prediction)), tf.softplus(prediction)]
      : [tf.neg(clampedLog(prediction)), tf.neg(clampedLog(tf.sub(1, prediction)))];
  const perVoxel = tf.add(tf.mul(tf.mul(target, positiveWeight), negLogP), tf.mul(tf.sub(1, target), negLogNotP));
  return weightedReduction(perVoxel, undefined, options.voxelWeights, options.reduction ?? 'mean');
}

export function crossEntropy(prediction: tf.Tensor, target: tf.Tensor, options: CrossEntropyOptions): tf.Scalar {
  return classCount(prediction) === 1
    ? binaryCrossEntropy(prediction, target, options)
    : categoricalCrossEntropy(prediction, target, options);
}
