// Generalized Dice loss (Sudre et al. 2017) with MONAI GeneralizedDiceLoss semantics:
//   loss = 1 - (2 sum_c w_c tp_c + smooth_nr) / (sum_c w_c (2 tp_c + fp_c + fn_c) + smooth_dr)
// with w_c = 1 / V_c^2 ('square'), 1 / V_c ('simple') or 1 ('uniform') for the target volume V_c.
// The weights are guarded: a class absent from the target would get an infinite weight; it gets the
// largest finite weight instead (per sample, or over the batch when pooled); with every class absent
// all weights are 0 and the loss is 1 - smooth_nr / smooth_dr.
import * as tf from '@tensorflow/tfjs';
import { probabilities } from './probabilities';
import { keptChannels } from './classes';
import { prepareInputs } from './inputs';
import type { ReferenceOptions } from './options';
import { overlap, targetMass } from './softCounts';
import { DEFAULT_SMOOTH, voxelWeightsChannelsFirst } from './ratio';
import { overlapAxes, reduceTerms } from './reduction';

export type GeneralizedDiceWeight = 'square' | 'simple' | 'uniform';

export interface GeneralizedDiceOptions extends ReferenceOptions {
  /** Default 'square'. */
  weightType?: GeneralizedDiceWeight;
  /** Default 1e-5. */
  smoothNr?: number;
  /** Default 1e-5. */
  smoothDr?: number;
  /** Pool the sums over the batch: one loss for the whole batch. Default false. */
  batch?: boolean;
  softLabel?: boolean;
  /** Per-voxel weights, (N, ...spatial) or with a size-1 channel axis. */
  voxelWeights?: tf.Tensor;
}

function volumeWeights(volume: tf.Tensor, type: GeneralizedDiceWeight): tf.Tensor {
  if (type === 'square') return tf.reciprocal(tf.square(volume));
  if (type === 'simple') return tf.reciprocal(volume);
  return tf.onesLike(volume);
}

/**
 * Replaces infinite weights (absent classes) by the largest finite one of the same sample (rows of
 * a per-sample (N, C) tensor), or of the whole pooled (C) tensor. Computed from the target only, so
 * no gradient flows through the guard.
 */
function guardedWeights(weights: tf.Tensor, pooled: boolean): tf.Tensor {
  const infinite = tf.isInf(weights);
  const finite = tf.where(infinite, tf.zerosLike(weights), weights);
  const largest = pooled ? tf.max(finite) : tf.max(finite, 1, true);
  return tf.where(infinite, tf.broadcastTo(largest, weights.shape), finite);
}

/** Unreduced terms: (N) one per sample, or a single term when pooled over the batch. */
export function generalizedDiceTerms(
  prediction: tf.Tensor,
  target: tf.Tensor,
  options: GeneralizedDiceOptions,
): tf.Tensor {
  return tf.tidy(() => {
    const inputs = prepareInputs(prediction, target, options.layout);
    const { prediction: p, target: t } = keptChannels(
      probabilities(inputs.prediction, options.activation),
      inputs.target,
      options.includeBackground,
      inputs.classes,
    );
    const pooled = options.batch ?? false;
    const axes = overlapAxes(p.rank, pooled);
    const voxelWeights = voxelWeightsChannelsFirst(options, p.rank, options.layout);
    const { tp, fp, fn } = overlap(p, t, { axes, softLabel: options.softLabel, voxelWeights });
    const volume = targetMass(t, axes, voxelWeights);
    const w = guardedWeights(volumeWeights(volume, options.weightType ?? 'square'), pooled);
    const classAxis = pooled ? 0 : 1;
    const numerator = tf.add(tf.mul(2, tf.sum(tf.mul(tp, w), classAxis)), options.smoothNr ?? DEFAULT_SMOOTH);
    const denominator = tf.add(
      tf.sum(tf.mul(tf.add(tf.mul(2, tp), tf.add(fp, fn)), w), classAxis),
      options.smoothDr ?? DEFAULT_SMOOTH,
    );
    return tf.sub(1, tf.div(numerator, denominator));
  });
}

export function generalizedDiceLoss(
  prediction: tf.Tensor,
  target: tf.Tensor,
  options: GeneralizedDiceOptions,
): tf.Scalar {
  return tf.tidy(() => reduceTerms(generalizedDiceTerms(prediction, target, options), options.reduction));
}
