// Which class channels a loss sees, and per-class weights laid along the class axis.
import * as tf from '@tensorflow/tfjs';

/** Size of the class axis (1) of a channels-first tensor. */
export const classCount = (t: tf.Tensor): number => (t.shape as number[])[1];

/** Drops channel 0 (background) of a channels-first tensor. */
export function withoutBackground(t: tf.Tensor): tf.Tensor {
  const begin = t.shape.map((_, axis) => (axis === 1 ? 1 : 0));
  const size = t.shape.map((d, axis) => (axis === 1 ? d - 1 : -1));
  return tf.slice(t, begin, size);
}

/** Background is only dropped when there is something left: one-channel predictions keep it (as MONAI does). */
export const dropsBackground = (includeBackground: boolean | undefined, classes: number) =>
  includeBackground === false && classes > 1;

/** The prediction and target channels a loss sees: without background when it is excluded. */
export function keptChannels(
  prediction: tf.Tensor,
  target: tf.Tensor,
  includeBackground: boolean | undefined,
  classes: number,
): { prediction: tf.Tensor; target: tf.Tensor; dropped: boolean } {
  const dropped = dropsBackground(includeBackground, classes);
  return dropped
    ? { prediction: withoutBackground(prediction), target: withoutBackground(target), dropped }
    : { prediction, target, dropped };
}

/** The weights of the kept classes: `weights` is indexed by class id over all C channels. */
export function keptClassWeights(weights: readonly number[], classes: number, backgroundDropped: boolean): number[] {
  if (weights.length !== classes) throw new Error(`${weights.length} class weights for ${classes} classes`);
  if (weights.some((w) => w < 0)) throw new Error('class weights must not be negative');
  return backgroundDropped ? weights.slice(1) : [...weights];
}

/** A (C) weight vector shaped to broadcast along class axis `axis` of a tensor of rank `rank`. */
export function alongClassAxis(values: readonly number[], rank: number, axis: number): tf.Tensor {
  const shape = Array(rank).fill(1);
  shape[axis] = values.length;
  return tf.tensor(values, shape, 'float32');
}
