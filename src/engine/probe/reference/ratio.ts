// The options and the final step shared by the overlap-ratio losses (Dice, Jaccard, Tversky):
// smoothing, the guards some libraries put on the ratio, and empty-class handling.
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_LAYOUT, type Layout } from './options';
import { voxelMapChannelsFirst } from './inputs';

export interface OverlapRatioOptions {
  /** Added to the numerator; keeps an empty class (empty target and prediction) at score 1. Default 1e-5. */
  smoothNr?: number;
  /** Added to the denominator; keeps the ratio finite when it is 0. Default 1e-5. */
  smoothDr?: number;
  /** Pool the sums over the batch before dividing (one ratio per class for the whole batch). Default false. */
  batch?: boolean;
  /** Soft-label formulation of the overlap (see softCounts.ts). Default false. */
  softLabel?: boolean;
  /**
   * Per-voxel weights, (N, ...spatial) or with a size-1 channel axis; 0 takes a voxel out of the
   * sums (padding, an ignore label, nnU-Net's loss_mask, NiftyNet's weight_map).
   */
  voxelWeights?: tf.Tensor;
  /**
   * Lower bound of the smoothed denominator (smp clamps at eps, nnU-Net at 1e-8): with no smoothing
   * an empty class then scores 0 instead of NaN. Default none.
   */
  denominatorFloor?: number;
  /**
   * A class absent from the target (within the pooled sums) contributes 0 loss but still counts in
   * the mean, as in segmentation_models.pytorch, where its ratio is undefined. Default false.
   */
  zeroEmptyClasses?: boolean;
}

export const DEFAULT_SMOOTH = 1e-5;

export function voxelWeightsChannelsFirst(
  options: OverlapRatioOptions,
  predictionRank: number,
  layout: Layout | undefined,
): tf.Tensor | undefined {
  return options.voxelWeights
    ? voxelMapChannelsFirst(options.voxelWeights, predictionRank, layout ?? DEFAULT_LAYOUT)
    : undefined;
}

/**
 * 1 - (numerator + smoothNr) / max(denominator + smoothDr, floor), with empty classes zeroed when
 * asked. `targetMass` must come from the target alone: TF.js refuses to differentiate through the
 * comparison if it is connected to the prediction, even though the comparison's own gradient is 0.
 */
export function ratioLoss(
  numerator: tf.Tensor,
  denominator: tf.Tensor,
  targetMass: () => tf.Tensor,
  options: OverlapRatioOptions,
): tf.Tensor {
  const { smoothNr = DEFAULT_SMOOTH, smoothDr = DEFAULT_SMOOTH, denominatorFloor, zeroEmptyClasses = false } = options;
  let smoothedDenominator = tf.add(denominator, smoothDr);
  if (denominatorFloor !== undefined) smoothedDenominator = tf.maximum(smoothedDenominator, denominatorFloor);
  const loss = tf.sub(1, tf.div(tf.add(numerator, smoothNr), smoothedDenominator));
  return zeroEmptyClasses ? tf.mul(loss, tf.cast(tf.greater(targetMass(), 0), 'float32')) : loss;
}
