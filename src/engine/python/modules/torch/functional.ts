// torch.nn.functional: softmax/log_softmax, sigmoid, logsigmoid, relu, tanh, softplus, one_hot and
// the loss functions (cross_entropy, nll_loss, binary_cross_entropy[_with_logits], mse_loss, l1_loss,
// smooth_l1_loss, huber_loss, kl_div).
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { activationKind, unaryKind } from '../../opKinds';
import { runtimeError } from '../../errors';
import { binaryOp, unaryOp, where } from '../../ops/elementwise';
import {
  type Reduction,
  implicitSoftmaxDim,
  logSoftmax,
  oneHot,
  parseReduction,
  softmax,
  torchBinaryCrossEntropy,
  torchBinaryCrossEntropyWithLogits,
  torchClassificationLoss,
} from '../../ops/nn';
import { reduce } from '../../ops/reduce';
import { absSignGrad, selectWhere } from '../../ops/select';
import { detach } from '../../runtime';
import { truthy } from '../../protocols';
import type { TensorValue } from '../../tensor';
import type { PyValue } from '../../values';
import { type Bound, def, floatArg, intArg } from '../common';
import { FLAVOUR, T, legacyReductionName } from './arguments';
import { torchXlogy } from './math';

export const functional = new Map<string, PyValue>();
function F(
  name: string,
  spec: readonly string[],
  impl: (a: Bound, site: CallSite) => PyValue,
  aliases?: Record<string, string>,
): void {
  functional.set(name, def(`F.${name}`, spec, impl, aliases));
}
F('softmax', ['input', 'dim=None', '_stacklevel=3', 'dtype=None'], (a, site) => {
  const x = T(site, a.input);
  return softmax(site, x, a.dim === null ? implicitSoftmaxDim(x.rank) : intArg(a.dim, 'dim'));
});
F('log_softmax', ['input', 'dim=None', '_stacklevel=3', 'dtype=None'], (a, site) => {
  const x = T(site, a.input);
  return logSoftmax(site, x, a.dim === null ? implicitSoftmaxDim(x.rank) : intArg(a.dim, 'dim'));
});
F('sigmoid', ['input'], (a, site) => unaryOp(site, 'sigmoid', activationKind('sigmoid'), a.input, FLAVOUR, tf.sigmoid));
F('logsigmoid', ['input'], (a, site) =>
  unaryOp(site, 'logsigmoid', activationKind('logsigmoid'), a.input, FLAVOUR, (t) => tf.neg(tf.softplus(tf.neg(t)))),
);
F('relu', ['input', 'inplace=False'], (a, site) =>
  unaryOp(site, 'relu', activationKind('relu'), a.input, FLAVOUR, tf.relu, 'same'),
);
F('tanh', ['input'], (a, site) => unaryOp(site, 'tanh', activationKind('tanh'), a.input, FLAVOUR, tf.tanh));
F('softplus', ['input', 'beta=1', 'threshold=20'], (a, site) => {
  const beta = floatArg(a.beta);
  const threshold = floatArg(a.threshold);
  return unaryOp(site, 'softplus', activationKind('softplus'), a.input, FLAVOUR, (t) => {
    const scaled = tf.mul(t, beta);
    // The mask is read from a detached copy: a comparison on the tape has no gradient in TF.js.
    return selectWhere(tf.greater(detach(scaled), threshold), t, tf.div(tf.softplus(scaled), beta));
  });
});
F(
  'one_hot',
  ['tensor', 'num_classes=-1'],
  (a, site) => oneHot(site, T(site, a.tensor), intArg(a.num_classes), 'int64'),
  { input: 'tensor' },
);
F(
  'cross_entropy',
  [
    'input',
    'target',
    'weight=None',
    'size_average=None',
    'ignore_index=-100',
    'reduce=None',
    "reduction='mean'",
    'label_smoothing=0.0',
  ],
  (a, site) =>
    torchClassificationLoss(
      site,
      'cross_entropy',
      T(site, a.input),
      T(site, a.target),
      a.weight === null ? undefined : T(site, a.weight),
      intArg(a.ignore_index),
      parseReduction(legacyReductionName(a.size_average, a.reduce, a.reduction)),
      floatArg(a.label_smoothing),
    ),
);
F(
  'nll_loss',
  ['input', 'target', 'weight=None', 'size_average=None', 'ignore_index=-100', 'reduce=None', "reduction='mean'"],
  (a, site) =>
    torchClassificationLoss(
      site,
      'nll_loss',
      T(site, a.input),
      T(site, a.target),
      a.weight === null ? undefined : T(site, a.weight),
      intArg(a.ignore_index),
      parseReduction(legacyReductionName(a.size_average, a.reduce, a.reduction)),
    ),
);
F(
  'binary_cross_entropy',
  ['input', 'target', 'weight=None', 'size_average=None', 'reduce=None', "reduction='mean'"],
  (a, site) =>
    torchBinaryCrossEntropy(
      site,
      T(site, a.input),
      T(site, a.target),
      a.weight === null ? undefined : T(site, a.weight),
      parseReduction(legacyReductionName(a.size_average, a.reduce, a.reduction)),
    ),
);
F(
  'binary_cross_entropy_with_logits',
  ['input', 'target', 'weight=None', 'size_average=None', 'reduce=None', "reduction='mean'", 'pos_weight=None'],
  (a, site) =>
    torchBinaryCrossEntropyWithLogits(
      site,
      T(site, a.input),
      T(site, a.target),
      a.weight === null ? undefined : T(site, a.weight),
      a.pos_weight === null ? undefined : T(site, a.pos_weight),
      parseReduction(legacyReductionName(a.size_average, a.reduce, a.reduction)),
    ),
);
const ELEMENT_LOSSES = [
  ['mse_loss', (d: tf.Tensor) => tf.square(d), 'square'],
  ['l1_loss', (d: tf.Tensor) => tf.abs(d), 'abs'],
] as const;
for (const [name, f, fn] of ELEMENT_LOSSES) {
  F(name, ['input', 'target', 'size_average=None', 'reduce=None', "reduction='mean'"], (a, site) => {
    const reduction = parseReduction(legacyReductionName(a.size_average, a.reduce, a.reduction));
    const diff = binaryOp(site, '-', a.input, a.target);
    const loss = unaryOp(site, name, unaryKind(fn), diff, FLAVOUR, f);
    return reduction === 'none' ? loss : reduce(site, reduction, loss, undefined, false, { opName: name });
  });
}

/**
 * smooth_l1_loss (beta) and huber_loss (delta) as torch computes them pointwise, with z = |input − target|:
 * 0.5·z²/beta below beta, z − 0.5·beta above (beta = 0 is l1_loss); huber is delta times that with
 * beta = delta. Traced as the ops they are made of, so the gradient is torch's: (input − target)/beta
 * inside, its sign outside.
 */
function robustRegressionLoss(
  site: CallSite,
  name: 'smooth_l1_loss' | 'huber_loss',
  input: PyValue,
  target: PyValue,
  reduction: Reduction,
  threshold: number,
): TensorValue {
  const diff = binaryOp(site, '-', input, target, name);
  const distance = unaryOp(site, name, unaryKind('abs'), diff, FLAVOUR, absSignGrad);
  let loss: TensorValue;
  if (threshold === 0) {
    loss = distance;
  } else {
    const halfSquare = binaryOp(site, '*', binaryOp(site, '*', diff, diff, name), 0.5, name);
    const inside = binaryOp(site, '<', distance, threshold, name);
    loss =
      name === 'huber_loss'
        ? where(
            site,
            inside,
            halfSquare,
            binaryOp(site, '*', binaryOp(site, '-', distance, 0.5 * threshold, name), threshold, name),
            FLAVOUR,
          )
        : where(
            site,
            inside,
            binaryOp(site, '/', halfSquare, threshold, name),
            binaryOp(site, '-', distance, 0.5 * threshold, name),
            FLAVOUR,
          );
  }
  return reduction === 'none' ? loss : reduce(site, reduction, loss, undefined, false, { opName: name });
}
export function smoothL1Loss(site: CallSite, input: PyValue, target: PyValue, reduction: Reduction, beta: number) {
  if (beta < 0) throw runtimeError('smooth_l1_loss does not support negative values for beta.');
  return robustRegressionLoss(site, 'smooth_l1_loss', input, target, reduction, beta);
}
export function huberLoss(site: CallSite, input: PyValue, target: PyValue, reduction: Reduction, delta: number) {
  if (!(delta > 0)) throw runtimeError('huber_loss does not support non-positive values for delta.');
  return robustRegressionLoss(site, 'huber_loss', input, target, reduction, delta);
}
F(
  'smooth_l1_loss',
  ['input', 'target', 'size_average=None', 'reduce=None', "reduction='mean'", 'beta=1.0'],
  (a, site) =>
    smoothL1Loss(
      site,
      a.input,
      a.target,
      parseReduction(legacyReductionName(a.size_average, a.reduce, a.reduction)),
      floatArg(a.beta, 'beta'),
    ),
);
F('huber_loss', ['input', 'target', "reduction='mean'", 'delta=1.0'], (a, site) =>
  huberLoss(site, a.input, a.target, parseReduction(a.reduction), floatArg(a.delta, 'delta')),
);

/**
 * F.kl_div(input, target): input holds log-probabilities; pointwise target·(log target − input) as
 * torch computes it, xlogy(target, target) − target·input (exp(target)·(target − input) with
 * log_target=True). 'batchmean' is the sum over the batch size.
 */
F(
  'kl_div',
  ['input', 'target', 'size_average=None', 'reduce=None', "reduction='mean'", 'log_target=False'],
  (a, site) => {
    const reductionName = legacyReductionName(a.size_average, a.reduce, a.reduction);
    if (reductionName !== 'batchmean') parseReduction(reductionName);
    const input = T(site, a.input);
    const target = T(site, a.target);
    const pointwise = truthy(a.log_target)
      ? binaryOp(
          site,
          '*',
          unaryOp(site, 'exp', unaryKind('exp'), target, FLAVOUR, tf.exp),
          binaryOp(site, '-', target, input),
        )
      : binaryOp(site, '-', torchXlogy(site, target, target), binaryOp(site, '*', target, input));
    if (reductionName === 'none') return pointwise;
    if (reductionName === 'mean') return reduce(site, 'mean', pointwise, undefined, false, { opName: 'kl_div' });
    const total = reduce(site, 'sum', pointwise, undefined, false, { opName: 'kl_div' });
    return reductionName === 'batchmean' && input.rank > 0 ? binaryOp(site, '/', total, BigInt(input.shape[0])) : total;
  },
);
