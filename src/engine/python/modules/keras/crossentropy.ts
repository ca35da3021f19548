// The backend's cross-entropies (K.categorical_crossentropy, K.sparse_categorical_crossentropy,
// K.binary_crossentropy, K.binary_focal_crossentropy) as keras/backend.py computes them.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { invalidArgumentError, valueError } from '../../errors';
import { activationKind, unaryKind } from '../../opKinds';
import { KERAS_EPSILON, kerasBinaryCrossentropy, kerasCategoricalCrossentropy } from '../../ops/nn';
import { permute } from '../../ops/shape';
import { toFloat, toInt, truthy } from '../../protocols';
import { TensorValue, isFloatDtype } from '../../tensor';
import { PyList, type PyValue } from '../../values';
import {
  T,
  clipByValue,
  convertTo,
  noKernel,
  sigmoidCrossEntropy,
  softmaxCrossEntropy,
  sparseSoftmaxCrossEntropy,
  tfArith,
  tfCast,
  tfCompare,
  tfReduce,
  tfReshape,
  tfUnary,
  tfWhere,
} from '../tensorflow';
import { config } from './config';
import { K } from './tables';

/** Loss tensors carrying a Keras mask (sparse_categorical_crossentropy with ignore_class). */
export const kerasMasks = new WeakMap<TensorValue, TensorValue>();

const shapeText = (s: number[]) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

function sameDtypes(target: TensorValue, output: TensorValue): void {
  if (target.dtype !== output.dtype) {
    throw invalidArgumentError(
      `cannot compute Mul as input #1(zero-based) was expected to be a ${target.dtype} ` +
        `tensor but is a ${output.dtype} tensor [Op:Mul]`,
    );
  }
}

/** K.categorical_crossentropy: renormalise, clip to [ε, 1-ε], -Σ target·log(output) along axis. */
export function categoricalCrossentropy(
  site: CallSite,
  targetValue: PyValue,
  outputValue: PyValue,
  fromLogits: boolean,
  axisValue: PyValue,
): TensorValue {
  const target = T(site, targetValue);
  const output = T(site, outputValue);
  if (target.shape.join(',') !== output.shape.join(','))
    throw valueError(`Shapes ${shapeText(target.shape)} and ${shapeText(output.shape)} are incompatible`);
  if (fromLogits) return softmaxCrossEntropy(site, target, output, axisValue);
  if (!isFloatDtype(output.dtype)) throw noKernel('Sum', output.dtype);
  sameDtypes(target, output);
  const axis = toInt(axisValue, 'axis');
  if (config(site).epsilon === KERAS_EPSILON) return kerasCategoricalCrossentropy(site, target, output, axis);
  const scaled = tfArith(site, '/', output, tfReduce(site, 'reduce_sum', output, axisValue, true), 'truediv');
  const clipped = clipByValue(site, scaled, config(site).epsilon, 1 - config(site).epsilon);
  const logs = tfUnary(site, 'log', unaryKind('log'), clipped, tf.log);
  const summed = tfReduce(site, 'reduce_sum', tfArith(site, '*', target, logs, 'mul'), axisValue, false);
  return tfUnary(site, 'negative', unaryKind('neg'), summed, tf.neg, 'numeric');
}

/** K.binary_crossentropy: clip to [ε, 1-ε], then -(t·log(p+ε) + (1-t)·log(1-p+ε)) elementwise. */
export function binaryCrossentropy(
  site: CallSite,
  targetValue: PyValue,
  outputValue: PyValue,
  fromLogits: boolean,
): TensorValue {
  const target = T(site, targetValue);
  const output = T(site, outputValue);
  if (fromLogits) return sigmoidCrossEntropy(site, target, output);
  if (!isFloatDtype(output.dtype)) throw noKernel('Log', output.dtype);
  sameDtypes(target, output);
  if (config(site).epsilon === KERAS_EPSILON) return kerasBinaryCrossentropy(site, target, output);
  const eps = config(site).epsilon;
  const p = clipByValue(site, output, eps, 1 - eps);
  const log = (x: TensorValue) => tfUnary(site, 'log', unaryKind('log'), x, tf.log);
  const pos = tfArith(site, '*', target, log(tfArith(site, '+', p, eps, 'add')), 'mul');
  const negTarget = tfArith(site, '-', 1, target, 'sub');
  const negPrediction = tfArith(site, '-', 1, p, 'sub');
  const neg = tfArith(site, '*', negTarget, log(tfArith(site, '+', negPrediction, eps, 'add')), 'mul');
  return tfUnary(site, 'negative', unaryKind('neg'), tfArith(site, '+', pos, neg, 'add'), tf.neg, 'numeric');
}

/**
 * K.sparse_categorical_crossentropy: integer labels (cast to int64), log of the clipped output as
 * logits, the class axis moved last, labels flattened when their rank is not the output's - 1.
 */
export function sparseCategoricalCrossentropy(
  site: CallSite,
  targetValue: PyValue,
  outputValue: PyValue,
  fromLogits: boolean,
  axisValue: PyValue,
  ignoreClass: PyValue,
): TensorValue {
  let target = tfCast(site, targetValue, 'int64');
  let output = T(site, outputValue);
  if (!fromLogits) {
    if (!isFloatDtype(output.dtype)) throw noKernel('Log', output.dtype);
    const clipped = clipByValue(site, output, config(site).epsilon, 1 - config(site).epsilon);
    output = tfUnary(site, 'log', unaryKind('log'), clipped, tf.log);
  }
  const rank = output.rank;
  if (rank === 0) throw valueError('sparse_categorical_crossentropy: the output needs a class axis');
  let axis = toInt(axisValue, 'axis');
  axis = ((axis % rank) + rank) % rank;
  if (axis !== rank - 1)
    output = permute(
      site,
      output,
      [...Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis), axis],
      'transpose',
    );
  const outputShape = output.shape;
  const update = target.rank !== rank - 1;
  if (update) {
    target = tfReshape(site, target, new PyList([-1n]));
    output = tfReshape(site, output, new PyList([-1n, BigInt(outputShape[rank - 1])]));
  }
  let valid: TensorValue | undefined;
  if (ignoreClass !== null) {
    valid = tfCompare(site, '!=', target, convertTo(site, ignoreClass, target.dtype), 'not_equal');
    target = tfWhere(site, valid, target, 0n);
  }
  let result = sparseSoftmaxCrossEntropy(site, target, output);
  if (valid) result = tfWhere(site, valid, result, 0);
  if (update && rank >= 3) {
    result = tfReshape(site, result, new PyList(outputShape.slice(0, -1).map(BigInt)));
    if (valid) valid = tfReshape(site, valid, new PyList(outputShape.slice(0, -1).map(BigInt)));
  }
  if (valid) kerasMasks.set(result, valid);
  return result;
}

/** K.binary_focal_crossentropy (Keras ≥ 2.10). */
export function binaryFocalCrossentropy(
  site: CallSite,
  target: PyValue,
  output: PyValue,
  balancing: boolean,
  alpha: number,
  gamma: PyValue,
  fromLogits: boolean,
): TensorValue {
  const t = T(site, target);
  const o = T(site, output);
  const sigmoidal = fromLogits ? tfUnary(site, 'sigmoid', activationKind('sigmoid'), o, tf.sigmoid) : o;
  const pT = tfArith(
    site,
    '+',
    tfArith(site, '*', t, sigmoidal, 'mul'),
    tfArith(site, '*', tfArith(site, '-', 1, t, 'sub'), tfArith(site, '-', 1, sigmoidal, 'sub'), 'mul'),
    'add',
  );
  const focal = tfArith(site, '**', tfArith(site, '-', 1, pT, 'sub'), gamma, 'pow');
  let loss = tfArith(site, '*', focal, binaryCrossentropy(site, t, o, fromLogits), 'mul');
  if (balancing) {
    const weight = tfArith(
      site,
      '+',
      tfArith(site, '*', t, alpha, 'mul'),
      tfArith(site, '*', tfArith(site, '-', 1, t, 'sub'), 1 - alpha, 'mul'),
      'add',
    );
    loss = tfArith(site, '*', weight, loss, 'mul');
  }
  return loss;
}

K('categorical_crossentropy', ['target', 'output', 'from_logits=False', 'axis=-1'], (a, site) =>
  categoricalCrossentropy(site, a.target, a.output, truthy(a.from_logits), a.axis),
);
K(
  'sparse_categorical_crossentropy',
  ['target', 'output', 'from_logits=False', 'axis=-1', 'ignore_class=None'],
  (a, site) => sparseCategoricalCrossentropy(site, a.target, a.output, truthy(a.from_logits), a.axis, a.ignore_class),
);
K('binary_crossentropy', ['target', 'output', 'from_logits=False'], (a, site) =>
  binaryCrossentropy(site, a.target, a.output, truthy(a.from_logits)),
);
K(
  'binary_focal_crossentropy',
  ['target', 'output', 'apply_class_balancing=False', 'alpha=0.25', 'gamma=2.0', 'from_logits=False'],
  (a, site) =>
    binaryFocalCrossentropy(
      site,
      a.target,
      a.output,
      truthy(a.apply_class_balancing),
      toFloat(a.alpha),
      a.gamma,
      truthy(a.from_logits),
    ),
);
