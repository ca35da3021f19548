// The focal exponent x^gamma for x in [0, 1] (1 - p_t, 1 - TI). Below gamma = 1 its derivative
// gamma x^(gamma - 1) is infinite at x = 0, which a perfectly predicted class reaches once the
// softmax saturates; the chain rule then multiplies inf by 0 and the gradient turns NaN.
import * as tf from '@tensorflow/tfjs';

/** Smallest base for gamma < 1: keeps the derivative finite and moves the value by at most FLOOR^gamma. */
const FLOOR = 1e-12;

export function focalPower(x: tf.Tensor, gamma: number): tf.Tensor {
  return tf.pow(gamma < 1 ? tf.maximum(x, FLOOR) : x, gamma);
}
