// Dice + cross-entropy with MONAI DiceCELoss semantics:
//   lambda_dice * DiceLoss + lambda_ce * CE
// The Dice term honours includeBackground and the activation; the cross-entropy term always sees
// every class and, by default, reads the prediction as logits (softmax cross-entropy for several
// channels, binary cross-entropy with logits for one), as MONAI's does whatever its activation flags.
import * as tf from '@tensorflow/tfjs';
import { crossEntropy } from './crossEntropy';
import { type SoftDiceOptions, softDiceTermsOf } from './dice';
import { prepareInputs } from './inputs';
import { voxelWeightsChannelsFirst } from './ratio';
import { reduceTerms } from './reduction';

export interface DiceCrossEntropyOptions extends SoftDiceOptions {
  /** Default 1. */
  lambdaDice?: number;
  /** Default 1. */
  lambdaCe?: number;
  /**
   * What the cross-entropy term reads the prediction as. Default: 'logits' when the activation is
   * softmax or sigmoid, 'probabilities' when it is 'none'. MONAI always uses 'logits' (with no
   * activation flag its Dice reads the input as probabilities and its CE as logits).
   */
  crossEntropyInput?: 'logits' | 'probabilities';
}

export function diceCrossEntropyLoss(
  prediction: tf.Tensor,
  target: tf.Tensor,
  options: DiceCrossEntropyOptions,
): tf.Scalar {
  return tf.tidy(() => {
    const { lambdaDice = 1, lambdaCe = 1 } = options;
    const inputs = prepareInputs(prediction, target, options.layout);
    const dice = reduceTerms(softDiceTermsOf(inputs, options), options.reduction);
    const ce = crossEntropy(inputs.prediction, inputs.target, {
      input: options.crossEntropyInput ?? (options.activation === 'none' ? 'probabilities' : 'logits'),
      classWeights: options.classWeights,
      voxelWeights: voxelWeightsChannelsFirst(options, inputs.prediction.rank, options.layout),
      reduction: options.reduction,
    });
    return tf.add(tf.mul(lambdaDice, dice), tf.mul(lambdaCe, ce)) as tf.Scalar;
  });
}
