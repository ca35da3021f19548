// MONAI's MaskedDiceLoss: the soft Dice of (prediction * mask, target * mask). The mask multiplies
// the raw inputs, before the activation and before a label map is one-hot encoded, exactly as
// MONAI's MaskedLoss does; so with logits a masked voxel becomes sigmoid(0) = 0.5 rather than
// leaving the sums, and a masked label becomes class 0 (background). To take voxels out of the
// sums instead, use softDiceLoss's `voxelWeights`.
import * as tf from '@tensorflow/tfjs';
import { alongClassAxis } from './classes';
import { type SoftDiceOptions, softDiceLoss } from './dice';
import { prepareInputs, voxelMapChannelsFirst } from './inputs';
import { DEFAULT_LAYOUT } from './options';

export interface MaskedDiceOptions extends SoftDiceOptions {
  /** 0/1 region, (N or 1, ...spatial) or with a size-1 channel axis where the layout puts it. */
  mask: tf.Tensor;
}

export function maskedDiceLoss(prediction: tf.Tensor, target: tf.Tensor, options: MaskedDiceOptions): tf.Scalar {
  return tf.tidy(() => {
    const layout = options.layout ?? DEFAULT_LAYOUT;
    const inputs = prepareInputs(prediction, target, layout);
    const mask = voxelMapChannelsFirst(options.mask, prediction.rank, layout);
    let maskedTarget = tf.mul(inputs.target, mask);
    if (inputs.classes > 1) {
      // A masked label is label 0 (MONAI masks the label map before one-hot encoding it). One-hot
      // targets get the same, so the loss does not depend on how the target is encoded; MONAI itself
      // would leave an all-zero row there.
      const background = alongClassAxis([1, ...Array(inputs.classes - 1).fill(0)], maskedTarget.rank, 1);
      maskedTarget = tf.add(maskedTarget, tf.mul(tf.sub(1, mask), background));
    }
    const voxelWeights = options.voxelWeights && voxelMapChannelsFirst(options.voxelWeights, prediction.rank, layout);
    return softDiceLoss(tf.mul(inputs.prediction, mask), maskedTarget, {
      ...options,
      voxelWeights,
      layout: 'channels_first',
    });
  });
}
