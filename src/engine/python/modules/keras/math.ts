// K.* elementwise math and activations: unary functions, square/abs/round/sign/sqrt, pow, clip,
// comparisons, maximum/minimum, switch, softmax, relu (alpha, max_value, threshold), elu,
// hard_sigmoid and l2_normalize.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { valueError } from '../../errors';
import { type OpKind, activationKind, roundingKind, unaryKind } from '../../opKinds';
import { absSignGrad } from '../../ops/select';
import { toFloat, truthy } from '../../protocols';
import { TensorValue, isFloatDtype } from '../../tensor';
import { PyList, type PyValue } from '../../values';
import type { Bound } from '../common';
import {
  T,
  clipByValue,
  l2Normalize,
  tfArith,
  tfCast,
  tfCompare,
  tfMinMax,
  tfReshape,
  tfSoftmax,
  tfUnary,
  tfWhere,
} from '../tensorflow';
import { K, call, isCallable } from './tables';

export const softsign = (t: tf.Tensor) => tf.div(t, tf.add(1, tf.abs(t)));

const FLOAT_OPS: Record<string, [(t: tf.Tensor) => tf.Tensor, OpKind]> = {
  exp: [tf.exp, unaryKind('exp')],
  log: [tf.log, unaryKind('log')],
  sigmoid: [tf.sigmoid, activationKind('sigmoid')],
  tanh: [tf.tanh, activationKind('tanh')],
  softplus: [tf.softplus, activationKind('softplus')],
  sin: [tf.sin, unaryKind('sin')],
  cos: [tf.cos, unaryKind('cos')],
  softsign: [softsign, activationKind('softsign')],
};
for (const [name, [f, kind]] of Object.entries(FLOAT_OPS)) {
  K(name, ['x'], (a, site) => tfUnary(site, name, kind, a.x, f));
}
K('square', ['x'], (a, site) => tfUnary(site, 'square', unaryKind('square'), a.x, (t) => tf.mul(t, t), 'numeric'));
K('abs', ['x'], (a, site) => tfUnary(site, 'abs', unaryKind('abs'), a.x, absSignGrad, 'numeric'));
// TF registers no gradient for Round: K.round cuts the graph (torch.round would give zeros).
K('round', ['x'], (a, site) => tfUnary(site, 'round', roundingKind('round'), a.x, tf.round, 'numeric', 'cut'));
K('sign', ['x'], (a, site) => tfUnary(site, 'sign', roundingKind('sign'), a.x, tf.sign, 'numeric', 'zero'));
K('sqrt', ['x'], (a, site) => {
  const x = T(site, a.x);
  const clamped = tfMinMax(site, 'maximum', x, isFloatDtype(x.dtype) ? 0 : 0n);
  return tfUnary(site, 'sqrt', unaryKind('sqrt'), clamped, tf.sqrt);
});
K('pow', ['x', 'a'], (a, site) => tfArith(site, '**', a.x, a.a, 'pow'));
K('clip', ['x', 'min_value', 'max_value'], (a, site) => {
  let low = a.min_value;
  let high = a.max_value;
  const isNum = (v: PyValue) => typeof v === 'number' || typeof v === 'bigint';
  if (isNum(low) && isNum(high) && toFloat(high) < toFloat(low)) high = low;
  if (low === null) low = -Infinity;
  if (high === null) high = Infinity;
  return clipByValue(site, a.x, low, high);
});
const COMPARISONS: Record<string, '==' | '!=' | '>' | '>=' | '<' | '<='> = {
  equal: '==',
  not_equal: '!=',
  greater: '>',
  greater_equal: '>=',
  less: '<',
  less_equal: '<=',
};
for (const [name, op] of Object.entries(COMPARISONS))
  K(name, ['x', 'y'], (a, site) => tfCompare(site, op, a.x, a.y, name));
K('maximum', ['x', 'y'], (a, site) => tfMinMax(site, 'maximum', a.x, a.y));
K('minimum', ['x', 'y'], (a, site) => tfMinMax(site, 'minimum', a.x, a.y));
K('switch', ['condition', 'then_expression', 'else_expression'], (a, site) => {
  let cond = T(site, a.condition);
  if (cond.dtype !== 'bool') cond = tfCast(site, cond, 'bool');
  const evaluate = (v: PyValue) => (isCallable(v) ? call(site, v, []) : v);
  if (cond.rank === 0) return evaluate(truthy(cond) ? a.then_expression : a.else_expression);
  const thenValue = T(site, evaluate(a.then_expression));
  const elseValue = evaluate(a.else_expression);
  if (cond.rank > thenValue.rank) {
    throw valueError(
      'Rank of `condition` should be less than or equal to rank of `then_expression` and `else_expression`. ' +
        `ndim(condition)=${cond.rank}, ndim(then_expression)=${thenValue.rank}`,
    );
  }
  if (cond.rank > 1 && cond.rank < thenValue.rank)
    cond = tfReshape(site, cond, new PyList([...cond.shape, ...Array(thenValue.rank - cond.rank).fill(1)].map(BigInt)));
  return tfWhere(site, cond, thenValue, elseValue);
});

// ------------------------------------------------------------------ activations

K('softmax', ['x', 'axis=-1'], (a, site) => tfSoftmax(site, a.x, a.axis));
K('relu', ['x', 'alpha=0.0', 'max_value=None', 'threshold=0.0'], (a, site) => relu(site, a));
K('elu', ['x', 'alpha=1.0'], (a, site) => {
  const res = tfUnary(site, 'elu', activationKind('elu'), a.x, tf.elu);
  const alpha = toFloat(a.alpha);
  if (alpha === 1) return res;
  return tfWhere(site, tfCompare(site, '>', a.x, 0, 'greater'), res, tfArith(site, '*', alpha, res, 'mul'));
});
K('hard_sigmoid', ['x'], (a, site) =>
  clipByValue(site, tfArith(site, '+', tfArith(site, '*', a.x, 0.2, 'multiply'), 0.5, 'add'), 0, 1),
);
K('l2_normalize', ['x', 'axis=None'], (a, site) => l2Normalize(site, a.x, a.axis, 1e-12));

export function relu(site: CallSite, a: Bound): TensorValue {
  const alpha = toFloat(a.alpha);
  const threshold = toFloat(a.threshold);
  let x = T(site, a.x);
  if (alpha !== 0 && a.max_value === null && threshold === 0) {
    return tfUnary(site, 'leaky_relu', activationKind('leaky_relu'), x, (t) => tf.leakyRelu(t, alpha));
  }
  let negative: TensorValue | undefined;
  if (alpha !== 0) {
    const negated = tfUnary(site, 'negative', unaryKind('neg'), x, tf.neg, 'numeric');
    const shifted = threshold !== 0 ? tfArith(site, '+', negated, threshold, 'add') : negated;
    negative = tfUnary(site, 'relu', activationKind('relu'), shifted, tf.relu, 'numeric');
  }
  let clipMax = a.max_value !== null;
  if (threshold !== 0)
    x = tfArith(site, '*', x, tfCast(site, tfCompare(site, '>', x, threshold, 'greater'), x.dtype), 'mul');
  else if (a.max_value !== null && toFloat(a.max_value) === 6) {
    x = tfUnary(site, 'relu6', activationKind('relu6'), x, tf.relu6, 'numeric');
    clipMax = false;
  } else x = tfUnary(site, 'relu', activationKind('relu'), x, tf.relu, 'numeric');
  if (clipMax) x = clipByValue(site, x, 0, toFloat(a.max_value));
  if (negative) x = tfArith(site, '-', x, tfArith(site, '*', alpha, negative, 'mul'), 'sub');
  return x;
}
