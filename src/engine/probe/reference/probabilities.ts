// Probabilities and log-probabilities from a channels-first prediction, in numerically stable
// forms: log-softmax through logsumexp, log-sigmoid through softplus, clamped logs for
// probabilities given directly (so saturated logits and exact 0/1 probabilities stay finite).
import * as tf from '@tensorflow/tfjs';
import { classCount } from './classes';
import type { Activation } from './options';

/** Keeps log(p) finite for p = 0 in probability inputs (1e-7 is Keras's epsilon). */
export const PROBABILITY_EPSILON = 1e-7;

type Kernel = Parameters<typeof tf.customGrad>[0];

/**
 * log-softmax over axis 1 with its own gradient, dx = dy - sum(dy) softmax. tf.logSoftmax only
 * supports the last axis, and tf.logSumExp over axis 1 is slow on wasm: its gradient goes through
 * max's, a comparison against a broadcast operand (~4x the cost of this whole kernel). The max
 * only shifts the logits for stability, so it needs no gradient. The output is saved (not read
 * from a closure), so the backward pass also works inside tf.tidy.
 */
const logSoftmaxAxis1 = tf.customGrad(((logits: tf.Tensor, save: tf.GradSaveFunc) => {
  const shifted = tf.sub(logits, tf.max(logits, 1, true));
  const value = tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), 1, true)));
  save([value]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.sub(dy, tf.mul(tf.sum(dy, 1, true), tf.exp(saved[0]))),
  };
}) as unknown as Kernel) as (logits: tf.Tensor) => tf.Tensor;

/** Stable log-softmax over the class axis (1) of a channels-first tensor; differentiates everywhere. */
export function logSoftmaxOverClasses(logits: tf.Tensor): tf.Tensor {
  return logSoftmaxAxis1(logits);
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
