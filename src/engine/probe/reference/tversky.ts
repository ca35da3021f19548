// Tversky loss with MONAI TverskyLoss semantics, and the focal Tversky loss built on it:
//   TI_c = (tp + smooth_nr) / (tp + alpha fp + beta fn + smooth_dr),   loss_c = 1 - TI_c
// alpha weighs false positives, beta false negatives; alpha = beta = 0.5 is Dice with un-doubled
// smoothing. fp = sum p(1 - t), fn = sum (1 - p) t.
import * as tf from '@tensorflow/tfjs';
import { probabilities } from './probabilities';
import { keptChannels } from './classes';
import { prepareInputs } from './inputs';
import type { ReferenceOptions } from './options';
import { overlap, targetMass } from './softCounts';
import { focalPower } from './power';
import { type OverlapRatioOptions, ratioLoss, voxelWeightsChannelsFirst } from './ratio';
import { overlapAxes, reduceTerms } from './reduction';

export interface TverskyOptions extends ReferenceOptions, OverlapRatioOptions {
  /** Weight of false positives. Default 0.5. */
  alpha?: number;
  /** Weight of false negatives. Default 0.5. */
  beta?: number;
}

/** Unreduced 1 - TI terms: (N, C') per sample and kept class, or (C') when pooled over the batch. */
export function tverskyTerms(prediction: tf.Tensor, target: tf.Tensor, options: TverskyOptions): tf.Tensor {
  return tf.tidy(() => {
    const { alpha = 0.5, beta = 0.5 } = options;
    const inputs = prepareInputs(prediction, target, options.layout);
    const { prediction: p, target: t } = keptChannels(
      probabilities(inputs.prediction, options.activation),
      inputs.target,
      options.includeBackground,
      inputs.classes,
    );
    const axes = overlapAxes(p.rank, options.batch ?? false);
    const voxelWeights = voxelWeightsChannelsFirst(options, p.rank, options.layout);
    const { tp, fp, fn } = overlap(p, t, { axes, softLabel: options.softLabel, voxelWeights });
    const denominator = tf.add(tp, tf.add(tf.mul(alpha, fp), tf.mul(beta, fn)));
    return ratioLoss(tp, denominator, () => targetMass(t, axes, voxelWeights), options);
  });
}

export function tverskyLoss(prediction: tf.Tensor, target: tf.Tensor, options: TverskyOptions): tf.Scalar {
  return tf.tidy(() => reduceTerms(tverskyTerms(prediction, target, options), options.reduction));
}

export interface FocalTverskyOptions extends TverskyOptions {
  /**
   * The exponent on 1 - TI (Abraham & Khan write it 1/gamma; their recommended 4/3 is 0.75 here).
   * Below 1 it emphasises the classes that are already nearly right less than the hard ones. Default 0.75.
   */
  gamma?: number;
  /**
   * 'perClass' (the paper): mean over classes of (1 - TI_c)^gamma. 'afterMean' (segmentation_models
   * .pytorch's TverskyLoss gamma, SegLoss's FocalTversky_loss): (mean over classes of 1 - TI_c)^gamma.
   * Default 'perClass'.
   */
  gammaApplies?: 'perClass' | 'afterMean';
}

export function focalTverskyLoss(prediction: tf.Tensor, target: tf.Tensor, options: FocalTverskyOptions): tf.Scalar {
  return tf.tidy(() => {
    const { gamma = 0.75, gammaApplies = 'perClass' } = options;
    const terms = tverskyTerms(prediction, target, options);
    if (gammaApplies === 'afterMean') return focalPower(reduceTerms(terms, options.reduction), gamma) as tf.Scalar;
    return reduceTerms(focalPower(terms, gamma), options.reduction);
  });
}
