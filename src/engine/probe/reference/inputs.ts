// Brings a prediction and its target to the one form every reference loss computes on:
// channels-first (N, C, ...spatial) float tensors, the target one-hot. Callers may pass either
// layout and a one-hot target or a sparse label map (with or without its size-1 channel axis).
import * as tf from '@tensorflow/tfjs';
import { classCount } from './classes';
import { DEFAULT_LAYOUT, type Layout } from './options';

export interface PreparedInputs {
  /** The prediction as given (logits or probabilities), channels-first, float32. */
  prediction: tf.Tensor;
  /** One-hot (or soft / binary) target of the prediction's shape, float32. */
  target: tf.Tensor;
  classes: number;
}

/** Permutation moving the last axis to position 1: (N, ...S, C) -> (N, C, ...S). */
function channelsFirstPermutation(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

export function toChannelsFirst(t: tf.Tensor, layout: Layout): tf.Tensor {
  return layout === 'channels_last' ? tf.transpose(t, channelsFirstPermutation(t.rank)) : t;
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * One-hot of a label map, channels-first. tf.oneHot on int32 indices (then the class axis moved to
 * 1) is several times faster on wasm than comparing each label with a broadcast class range.
 * Labels outside [0, C) give an all-zero row, which is how an ignored label drops out of the sums;
 * so do float labels that are not whole numbers (NaN, 1.5): their integer cast must give them back.
 * No gradient flows to the labels (there was none through the comparison either).
 */
export function oneHotChannelsFirst(labels: tf.Tensor, classes: number): tf.Tensor {
  const toChannelsFirst = (lastAxis: tf.Tensor) => tf.transpose(lastAxis, channelsFirstPermutation(lastAxis.rank));
  if (labels.dtype === 'int32') return toChannelsFirst(tf.cast(tf.oneHot(labels, classes), 'float32'));
  const asFloat = tf.cast(labels, 'float32');
  const indices = tf.cast(asFloat, 'int32');
  // A same-shape comparison: cheap, unlike one against a broadcast operand.
  const whole = tf.cast(tf.equal(tf.cast(indices, 'float32'), asFloat), 'float32');
  return tf.mul(toChannelsFirst(tf.cast(tf.oneHot(indices, classes), 'float32')), tf.expandDims(whole, 1));
}

/**
 * A per-voxel map (mask, weights) as (N or 1, 1, ...spatial), channels-first. Accepted shapes:
 * (N, ...spatial) or with a size-1 channel axis where the layout puts it.
 */
export function voxelMapChannelsFirst(map: tf.Tensor, predictionRank: number, layout: Layout): tf.Tensor {
  const asFloat = tf.cast(map, 'float32');
  if (map.rank === predictionRank - 1) return tf.expandDims(asFloat, 1);
  if (map.rank === predictionRank) return toChannelsFirst(asFloat, layout);
  throw new Error(`a voxel map of shape [${map.shape}] does not fit a prediction of rank ${predictionRank}`);
}

export function prepareInputs(
  prediction: tf.Tensor,
  target: tf.Tensor,
  layout: Layout = DEFAULT_LAYOUT,
): PreparedInputs {
  if (prediction.rank < 3) {
    throw new Error(
      `the prediction needs a batch, a class and at least one spatial axis; got shape [${prediction.shape}]`,
    );
  }
  const predictionCf = toChannelsFirst(tf.cast(prediction, 'float32'), layout);
  const classes = classCount(predictionCf);
  const channelAxis = layout === 'channels_last' ? target.rank - 1 : 1;

  if (target.rank === prediction.rank && sameShape(target.shape, prediction.shape)) {
    return { prediction: predictionCf, target: toChannelsFirst(tf.cast(target, 'float32'), layout), classes };
  }
  // A sparse label map: drop its size-1 channel axis, if it has one, then one-hot it.
  let labels: tf.Tensor | undefined;
  if (target.rank === prediction.rank - 1) labels = target;
  else if (target.rank === prediction.rank && target.shape[channelAxis] === 1)
    labels = tf.squeeze(target, [channelAxis]);
  const spatialMatches =
    labels !== undefined && sameShape(labels.shape, [predictionCf.shape[0], ...predictionCf.shape.slice(2)]);
  if (!labels || !spatialMatches) {
    throw new Error(
      `target of shape [${target.shape}] is neither one-hot nor a label map ` +
        `for a prediction of shape [${prediction.shape}] (${layout})`,
    );
  }
  // One channel: the label map is the binary mask itself.
  const oneHot = classes === 1 ? tf.expandDims(tf.cast(labels, 'float32'), 1) : oneHotChannelsFirst(labels, classes);
  return { prediction: predictionCf, target: oneHot, classes };
}
