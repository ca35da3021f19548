// Focal loss (Lin et al. 2017) with MONAI FocalLoss semantics, per voxel and class:
//   sigmoid (independent labels): FL = alpha_t (1 - p_t)^gamma BCE(x, t)
//   softmax (exclusive classes):   FL = -alpha_c (1 - p_c)^gamma t_c log p_c
// computed from logits with log-sigmoid / log-softmax, so saturated logits stay finite. 'sigmoid'
// and 'softmax' pick the form (MONAI's use_softmax); with 'none' the prediction holds probabilities,
// which take the sigmoid form through their logit.
import * as tf from '@tensorflow/tfjs';
import { PROBABILITY_EPSILON, logSigmoid, logSoftmaxOverClasses } from './probabilities';
import { alongClassAxis, classCount, dropsBackground, keptClassWeights, withoutBackground } from './classes';
import { prepareInputs } from './inputs';
import type { ReferenceOptions } from './options';
import { focalPower } from './power';

export interface FocalOptions extends ReferenceOptions {
  /** Focusing exponent on (1 - p_t). Default 2. */
  gamma?: number;
  /**
   * Balance factor: sigmoid form alpha for positives and 1 - alpha for negatives; softmax form
   * 1 - alpha for class 0 and alpha for the others. Default none. As in MONAI it is ignored for the
   * softmax form without background.
   */
  alpha?: number;
  /** One weight per class id (background's is dropped with it); not applied to a single remaining class. */
  classWeights?: readonly number[];
}

/** MONAI's sigmoid focal term: BCE with logits times (1 - p_t)^gamma, (1 - p_t) = sigmoid(-x (2t - 1)). */
function sigmoidFocal(logits: tf.Tensor, target: tf.Tensor, gamma: number, alpha: number | undefined): tf.Tensor {
  const bce = tf.sub(tf.sub(logits, tf.mul(logits, target)), logSigmoid(logits));
  const logOneMinusPt = logSigmoid(tf.neg(tf.mul(logits, tf.sub(tf.mul(target, 2), 1))));
  const loss = tf.mul(tf.exp(tf.mul(logOneMinusPt, gamma)), bce);
  if (alpha === undefined) return loss;
  return tf.mul(tf.add(tf.mul(target, alpha), tf.mul(tf.sub(1, target), 1 - alpha)), loss);
}

function softmaxFocal(logits: tf.Tensor, target: tf.Tensor, gamma: number, alpha: number | undefined): tf.Tensor {
  const logP = logSoftmaxOverClasses(logits);
  const loss = tf.mul(tf.neg(focalPower(tf.sub(1, tf.exp(logP)), gamma)), tf.mul(logP, target));
  if (alpha === undefined) return loss;
  const classes = classCount(target);
  const factors = [1 - alpha, ...Array(classes - 1).fill(alpha)];
  return tf.mul(alongClassAxis(factors, loss.rank, 1), loss);
}

/** Probabilities go through the sigmoid form on their logit, log p - log(1 - p), with p kept off 0 and 1. */
function logitOf(p: tf.Tensor): tf.Tensor {
  const clamped = tf.clipByValue(p, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
  return tf.sub(tf.log(clamped), tf.log(tf.sub(1, clamped)));
}

/** Unreduced per-voxel terms, (N, C', ...spatial) channels-first. */
export function focalTerms(prediction: tf.Tensor, target: tf.Tensor, options: FocalOptions): tf.Tensor {
  return tf.tidy(() => {
    const { gamma = 2 } = options;
    const inputs = prepareInputs(prediction, target, options.layout);
    let x = inputs.prediction;
    let t = inputs.target;
    // MONAI drops the background before the activation, so the softmax form normalises over the
    // foreground classes only.
    const dropBackground = dropsBackground(options.includeBackground, inputs.classes);
    if (dropBackground) {
      x = withoutBackground(x);
      t = withoutBackground(t);
    }
    let terms: tf.Tensor;
    if (options.activation === 'softmax') {
      terms = softmaxFocal(x, t, gamma, dropBackground ? undefined : options.alpha);
    } else {
      terms = sigmoidFocal(options.activation === 'sigmoid' ? x : logitOf(x), t, gamma, options.alpha);
    }
    const keptClasses = classCount(t);
    if (options.classWeights && keptClasses !== 1) {
      const weights = keptClassWeights(options.classWeights, inputs.classes, dropBackground);
      terms = tf.mul(terms, alongClassAxis(weights, terms.rank, 1));
    }
    return terms;
  });
}

export function focalLoss(prediction: tf.Tensor, target: tf.Tensor, options: FocalOptions): tf.Scalar {
  return tf.tidy(() => {
    const terms = focalTerms(prediction, target, options);
    if (options.reduction !== 'sum') return tf.mean(terms) as tf.Scalar;
    // MONAI's 'sum' averages over the spatial axes first (kept for backward compatibility there).
    const spatial = Array.from({ length: terms.rank - 2 }, (_, i) => i + 2);
    return tf.sum(tf.mean(terms, spatial)) as tf.Scalar;
  });
}
