// Soft Dice and soft Jaccard (IoU) losses with MONAI DiceLoss semantics:
//   loss_c = 1 - (2 tp + smooth_nr) / (2 tp + fp + fn + smooth_dr)          (Dice)
//   loss_c = 1 - (2 tp + smooth_nr) / (2 (tp + fp + fn) + smooth_dr)        (Jaccard)
// one term per sample and class (or per class when pooled over the batch), then reduced.
import * as tf from '@tensorflow/tfjs';
import { probabilities } from './probabilities';
import { alongClassAxis, classCount, keptChannels, keptClassWeights } from './classes';
import { type PreparedInputs, prepareInputs } from './inputs';
import type { ReferenceOptions } from './options';
import { overlap, targetMass } from './softCounts';
import { type OverlapRatioOptions, ratioLoss, voxelWeightsChannelsFirst } from './ratio';
import { overlapAxes, reduceTerms } from './reduction';

export interface SoftDiceOptions extends ReferenceOptions, OverlapRatioOptions {
  /** Squared prediction and target in the denominator (MONAI squared_pred, NiftyNet's Dice). Default false. */
  squaredPrediction?: boolean;
  /** Jaccard index (soft IoU) instead of Dice. Default false. */
  jaccard?: boolean;
  /**
   * One weight per class id (all C channels; background's is dropped with it), multiplying each
   * class's term before the reduction. As in MONAI, a single remaining class is never weighted.
   */
  classWeights?: readonly number[];
}

/** Unreduced terms: (N, C') per sample and kept class, or (C') when pooled over the batch. */
export function softDiceTerms(prediction: tf.Tensor, target: tf.Tensor, options: SoftDiceOptions): tf.Tensor {
  return tf.tidy(() => softDiceTermsOf(prepareInputs(prediction, target, options.layout), options));
}

/** The terms from inputs already prepared (so compound losses one-hot the target only once). */
export function softDiceTermsOf(inputs: PreparedInputs, options: SoftDiceOptions): tf.Tensor {
  return tf.tidy(() => {
    // MONAI order: activation over all classes first, background dropped afterwards.
    const {
      prediction: p,
      target: t,
      dropped: dropBackground,
    } = keptChannels(
      probabilities(inputs.prediction, options.activation),
      inputs.target,
      options.includeBackground,
      inputs.classes,
    );
    const voxelWeights = voxelWeightsChannelsFirst(options, p.rank, options.layout);
    const axes = overlapAxes(p.rank, options.batch ?? false);
    const { tp, fp, fn } = overlap(p, t, {
      axes,
      order: options.squaredPrediction ? 2 : 1,
      softLabel: options.softLabel,
      voxelWeights,
    });
    const errors = tf.add(fp, fn);
    const denominator = options.jaccard ? tf.mul(2, tf.add(tp, errors)) : tf.add(tf.mul(2, tp), errors);
    let terms = ratioLoss(tf.mul(2, tp), denominator, () => targetMass(t, axes, voxelWeights), options);
    const keptClasses = classCount(t);
    if (options.classWeights && keptClasses !== 1) {
      const weights = keptClassWeights(options.classWeights, inputs.classes, dropBackground);
      terms = tf.mul(terms, alongClassAxis(weights, terms.rank, terms.rank - 1));
    }
    return terms;
  });
}

export function softDiceLoss(prediction: tf.Tensor, target: tf.Tensor, options: SoftDiceOptions): tf.Scalar {
  return tf.tidy(() => reduceTerms(softDiceTerms(prediction, target, options), options.reduction));
}
