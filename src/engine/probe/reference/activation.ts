// Probabilities and log-probabilities from a channels-first prediction, in numerically stable
// forms: log-softmax through logsumexp, log-sigmoid through softplus, clamped logs for
// probabilities given directly (so saturated logits and exact 0/1 probabilities stay finite).
import * as tf from '@tensorflow/tfjs';
import { classCount } from './classes';
import type { Activation } from './options';

/** Keeps log(p) finite for p = 0 in probability inputs (1e-7 is Keras's epsilon). */
export const PROBABILITY_EPSILON = 1e-7;

/** tf.logSoftmax only supports the last axis; logsumexp works along any axis and differentiates everywhere. */
export function logSoftmaxOverClasses(logits: tf.Tensor): tf.Tensor {
  return tf.sub(logits, tf.logSumExp(logits, 1, true));
}

/**
 * log(sigmoid(x)) = -softplus(-x). Not tf.logSigmoid: that is a customGrad whose backward pass reads
 * its input from a closure, and inside tf.tidy the input is disposed before the gradient runs.
 * softplus has a registered gradient, which keeps what it needs.
 */
export function logSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.neg(tf.softplus(tf.neg(x)));
}

export function probabilities(prediction: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'softmax':
      // A single channel has nothing to normalise against (MONAI warns and skips it; so do we).
      return classCount(prediction) === 1 ? prediction : tf.exp(logSoftmaxOverClasses(prediction));
    case 'sigmoid':
      return tf.sigmoid(prediction);
    case 'none':
      return prediction;
  }
}

/** log(p) with p kept in [eps, 1]: probabilities at exactly 0 would give -inf and NaN gradients. */
export function clampedLog(p: tf.Tensor): tf.Tensor {
  return tf.log(tf.clipByValue(p, PROBABILITY_EPSILON, 1));
}
