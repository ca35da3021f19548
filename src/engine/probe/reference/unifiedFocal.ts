// Asymmetric unified focal loss (Yeung et al. 2022) with MONAI AsymmetricUnifiedFocalLoss semantics:
//   loss = weight * asymmetric focal + (1 - weight) * asymmetric focal Tversky
// Asymmetric: the background class (0) is focally suppressed in the cross-entropy part and kept
// linear in the Tversky part; the foreground is kept linear in the cross-entropy part and
// enhanced, (1 - TI)^(1 - gamma), in the Tversky part. Predictions are clamped to
// [epsilon, 1 - epsilon] first, as MONAI does, which keeps every log and power finite.
import * as tf from '@tensorflow/tfjs';
import { probabilities } from './probabilities';
import { prepareInputs } from './inputs';
import type { ReferenceOptions } from './options';
import { focalPower } from './power';
import { overlapAxes } from './reduction';

export interface AsymmetricUnifiedFocalOptions extends Omit<ReferenceOptions, 'includeBackground' | 'reduction'> {
  /** Share of the focal (cross-entropy) part. Default 0.5. */
  weight?: number;
  /**
   * Balances false negatives (delta) against false positives (1 - delta), and foreground against
   * background. Default 0.7.
   */
  delta?: number;
  /** Focal exponent of both parts. Default 0.5. */
  gamma?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

const channel = (t: tf.Tensor, c: number) =>
  tf.squeeze(
    tf.slice(
      t,
      t.shape.map((_, a) => (a === 1 ? c : 0)),
      t.shape.map((_, a) => (a === 1 ? 1 : -1)),
    ),
    [1],
  );
const foregroundChannels = (t: tf.Tensor) =>
  tf.slice(
    t,
    t.shape.map((_, a) => (a === 1 ? 1 : 0)),
    t.shape.map((d, a) => (a === 1 ? d - 1 : -1)),
  );

/** Mean over voxels of (1 - delta)(1 - p_0)^gamma CE_0 + delta sum_{c>0} CE_c. */
function asymmetricFocal(p: tf.Tensor, t: tf.Tensor, delta: number, gamma: number): tf.Tensor {
  const crossEntropy = tf.neg(tf.mul(t, tf.log(p)));
  const background = tf.mul(1 - delta, tf.mul(focalPower(tf.sub(1, channel(p, 0)), gamma), channel(crossEntropy, 0)));
  const foreground = tf.mul(delta, tf.sum(foregroundChannels(crossEntropy), 1));
  return tf.mean(tf.add(background, foreground));
}

/** Mean over samples and classes of [1 - TI_0, (1 - TI_c)^(1 - gamma) for c > 0]. */
function asymmetricFocalTversky(p: tf.Tensor, t: tf.Tensor, delta: number, gamma: number, epsilon: number): tf.Tensor {
  const axes = overlapAxes(p.rank, false);
  const tp = tf.sum(tf.mul(t, p), axes);
  const fn = tf.sum(tf.mul(t, tf.sub(1, p)), axes);
  const fp = tf.sum(tf.mul(tf.sub(1, t), p), axes);
  const index = tf.div(
    tf.add(tp, epsilon),
    tf.add(tf.add(tp, epsilon), tf.add(tf.mul(delta, fn), tf.mul(1 - delta, fp))),
  );
  const missing = tf.sub(1, index);
  const background = tf.slice(missing, [0, 0], [-1, 1]);
  // MONAI writes (1 - TI) * (1 - TI)^(-gamma), which is 0 * inf at TI = 1; one power is the same value, finite.
  const foreground = focalPower(tf.slice(missing, [0, 1], [-1, -1]), 1 - gamma);
  return tf.mean(tf.concat([background, foreground], 1));
}

export function asymmetricUnifiedFocalLoss(
  prediction: tf.Tensor,
  target: tf.Tensor,
  options: AsymmetricUnifiedFocalOptions,
): tf.Scalar {
  return tf.tidy(() => {
    const { weight = 0.5, delta = 0.7, gamma = 0.5, epsilon = 1e-7 } = options;
    const inputs = prepareInputs(prediction, target, options.layout);
    let p = probabilities(inputs.prediction, options.activation);
    let t = inputs.target;
    if (inputs.classes === 1) {
      // A binary prediction becomes (background, foreground) = (1 - p, p). MONAI one-hot encodes the
      // prediction itself here, which equals this for 0/1 values but has no gradient.
      p = tf.concat([tf.sub(1, p), p], 1);
      t = tf.concat([tf.sub(1, t), t], 1);
    }
    p = tf.clipByValue(p, epsilon, 1 - epsilon);
    const focal = asymmetricFocal(p, t, delta, gamma);
    const tversky = asymmetricFocalTversky(p, t, delta, gamma, epsilon);
    return tf.add(tf.mul(weight, focal), tf.mul(1 - weight, tversky)) as tf.Scalar;
  });
}
