// Elementwise: unary functions (zero gradients for sgn/floor/ceil), round (half away from zero),
// arithmetic, comparisons and logical ops, maximum/minimum (a tie sends the gradient to both
// inputs), clip, switch/where and cast/astype.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { typeError, valueError } from '../../errors';
import {
  type ComparisonOperator,
  type OpKind,
  activationKind,
  castKind,
  comparisonKind,
  elementwiseKind,
  logicalKind,
  predicateKind,
  roundingKind,
  unaryKind,
} from '../../opKinds';
import { extremumWithTies } from '../../ops/arraylib';
import { castTensor } from '../../ops/coercion';
import { binaryOp, clip, coerceOperands, unaryOp, where, type UnaryResult } from '../../ops/elementwise';
import { TensorValue, isFloatDtype, isIntDtype } from '../../tensor';
import type { GradientMode } from '../../trace';
import { type PyValue, typeName } from '../../values';
import { def } from '../common';
import { FLAVOUR, TT, ZERO, broadcastShape, dtypeArg, floatInput, scalarOrTensor } from './arguments';
import { fn, method, tensorFunctions } from './tables';

function unary(
  name: string,
  kind: OpKind,
  f: (t: tf.Tensor) => tf.Tensor,
  result: UnaryResult = 'float',
  gradient: GradientMode = 'flow',
  table = tensorFunctions,
): void {
  table.set(
    name,
    def(name, ['a'], (a, site) => {
      const x = TT(site, a.a);
      return unaryOp(site, name, kind, result === 'float' ? floatInput(site, x) : x, FLAVOUR, f, result, gradient);
    }),
  );
}

const FLOAT_UNARY: Record<string, [(t: tf.Tensor) => tf.Tensor, OpKind]> = {
  exp: [tf.exp, unaryKind('exp')],
  expm1: [tf.expm1, unaryKind('expm1')],
  log: [tf.log, unaryKind('log')],
  log1p: [tf.log1p, unaryKind('log1p')],
  log2: [(t) => tf.div(tf.log(t), Math.LN2), unaryKind('log2')],
  log10: [(t) => tf.div(tf.log(t), Math.LN10), unaryKind('log10')],
  sqrt: [tf.sqrt, unaryKind('sqrt')],
  tanh: [tf.tanh, activationKind('tanh')],
  sinh: [tf.sinh, unaryKind('sinh')],
  cosh: [tf.cosh, unaryKind('cosh')],
  sin: [tf.sin, unaryKind('sin')],
  cos: [tf.cos, unaryKind('cos')],
  tan: [tf.tan, unaryKind('tan')],
  arctan: [tf.atan, unaryKind('atan')],
  inv: [tf.reciprocal, unaryKind('reciprocal')],
  erf: [tf.erf, unaryKind('erf')],
};
for (const [name, [f, kind]] of Object.entries(FLOAT_UNARY)) unary(name, kind, f);
unary('sqr', unaryKind('square'), (t) => tf.mul(t, t), 'same');
unary('abs_', unaryKind('abs'), tf.abs, 'same');
tensorFunctions.set('abs', tensorFunctions.get('abs_')!);
unary('neg', unaryKind('neg'), tf.neg, 'same');
unary('sgn', roundingKind('sign'), tf.sign, 'same', ZERO);
unary('floor', roundingKind('floor'), tf.floor, 'same', ZERO);
unary('ceil', roundingKind('ceil'), tf.ceil, 'same', ZERO);
for (const [name, f] of [
  ['isnan', tf.isNaN],
  ['isinf', tf.isInf],
] as const) {
  unary(name, predicateKind(name), f, 'bool');
}
unary('invert', logicalKind('not'), (t) => tf.logicalNot(t.dtype === 'bool' ? t : tf.cast(t, 'bool')), 'bool');
tensorFunctions.set('bitwise_not', tensorFunctions.get('invert')!);

/** T.round: half away from zero by default (Theano's RoundHalfAwayFromZero), or 'half_to_even'. */
function roundValue(site: CallSite, x: TensorValue, mode: PyValue): TensorValue {
  const m = mode === null ? 'half_away_from_zero' : mode;
  if (m !== 'half_away_from_zero' && m !== 'half_to_even')
    throw valueError(`round mode ${String(m)} is not supported.`);
  if (!isFloatDtype(x.dtype)) return x;
  const round = (t: tf.Tensor) =>
    m === 'half_to_even' ? tf.round(t) : tf.mul(tf.sign(t), tf.floor(tf.add(tf.abs(t), 0.5)));
  return site.rt.apply(site, 'round', [x], ([t]) => round(t), {
    kind: roundingKind('round'),
    dtype: x.dtype,
    gradient: ZERO,
  });
}
fn('round', ['a', 'mode=None'], (a, site) => roundValue(site, TT(site, a.a), a.mode));
method('round', ['mode=None'], (x, a, site) => roundValue(site, x, a.mode));

fn('pow', ['a', 'b'], (a, site) => binaryOp(site, '**', TT(site, a.a), scalarOrTensor(site, a.b), 'pow'));
for (const [name, op] of [
  ['add', '+'],
  ['sub', '-'],
  ['mul', '*'],
  ['true_div', '/'],
  ['int_div', '//'],
  ['mod', '%'],
] as const) {
  fn(name, ['a', 'b'], (a, site) => binaryOp(site, op, TT(site, a.a), scalarOrTensor(site, a.b), name));
}

/** Elementwise op of two operands with broadcasting, promoted to a common dtype. */
function binaryApply(
  site: CallSite,
  name: string,
  kind: OpKind,
  a: PyValue,
  b: PyValue,
  f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor,
  result: 'common' | 'bool',
  gradient: GradientMode,
): TensorValue {
  const [x, y, dtype] = coerceOperands(site, TT(site, a), scalarOrTensor(site, b), FLAVOUR);
  const shape = broadcastShape(x.shape, y.shape);
  site.rt.guard.checkTensorElements(shape, `the result of ${name}`);
  const broadcast = x.shape.join(',') !== shape.join(',') || y.shape.join(',') !== shape.join(',');
  return site.rt.apply(site, name, [x, y], ([p, q]) => f(p, q), {
    kind,
    dtype: result === 'bool' ? 'bool' : dtype,
    gradient,
    broadcast,
    flavour: FLAVOUR,
  });
}

const COMPARISONS: Record<string, [(x: tf.Tensor, y: tf.Tensor) => tf.Tensor, ComparisonOperator]> = {
  eq: [tf.equal, 'equal'],
  neq: [tf.notEqual, 'not_equal'],
  gt: [tf.greater, 'greater'],
  ge: [tf.greaterEqual, 'greater_equal'],
  lt: [tf.less, 'less'],
  le: [tf.lessEqual, 'less_equal'],
};
for (const [name, [f, operator]] of Object.entries(COMPARISONS)) {
  fn(name, ['a', 'b'], (a, site) => binaryApply(site, name, comparisonKind(operator), a.a, a.b, f, 'bool', ZERO));
}

const LOGICAL = [
  ['and_', tf.logicalAnd, 'and'],
  ['or_', tf.logicalOr, 'or'],
  ['xor', tf.logicalXor, 'xor'],
] as const;
for (const [name, f, operator] of LOGICAL) {
  fn(name, ['a', 'b'], (a, site) => {
    const x = TT(site, a.a);
    const y = TT(site, a.b);
    if (x.dtype !== 'bool' || y.dtype !== 'bool') {
      if (isFloatDtype(x.dtype) || isFloatDtype(y.dtype))
        throw typeError(`${name} is only defined on integer and boolean tensors`);
    }
    const [p, q] = [castTensor(site, x, 'bool'), castTensor(site, y, 'bool')];
    return binaryApply(site, name, logicalKind(operator), p, q, f, 'bool', ZERO);
  });
}
tensorFunctions.set('bitwise_and', tensorFunctions.get('and_')!);
tensorFunctions.set('bitwise_or', tensorFunctions.get('or_')!);

/** T.maximum / T.minimum: a tie sends the whole gradient to both inputs, as Theano's grad does. */
for (const [name, extreme] of [
  ['maximum', 'max'],
  ['minimum', 'min'],
] as const) {
  const f = extremumWithTies(extreme, 'both');
  fn(name, ['x', 'y'], (a, site) => binaryApply(site, name, elementwiseKind(name), a.x, a.y, f, 'common', 'flow'));
}

fn('clip', ['x', 'min', 'max'], (a, site) =>
  clip(site, TT(site, a.x), scalarOrTensor(site, a.min), scalarOrTensor(site, a.max), FLAVOUR),
);
method('clip', ['a_min', 'a_max'], (x, a, site) =>
  clip(site, x, scalarOrTensor(site, a.a_min), scalarOrTensor(site, a.a_max), FLAVOUR),
);

fn('switch', ['cond', 'ift', 'iff'], (a, site) =>
  where(site, TT(site, a.cond), scalarOrTensor(site, a.ift), scalarOrTensor(site, a.iff), FLAVOUR),
);
tensorFunctions.set('where', tensorFunctions.get('switch')!);

/** T.cast / x.astype: float → float keeps the gradient; to an integer or bool type it is zero. */
export function theanoCast(site: CallSite, x: TensorValue, dtypeValue: PyValue, opName = 'cast'): TensorValue {
  const dtype = dtypeArg(dtypeValue);
  if (!dtype) throw typeError(`cast: unsupported dtype ${typeName(dtypeValue)}`);
  if (x.dtype === dtype) return x;
  if (isFloatDtype(dtype) && isFloatDtype(x.dtype)) return castTensor(site, x, dtype, opName);
  return site.rt.apply(
    site,
    opName,
    [x],
    ([t]) => {
      if (isIntDtype(dtype) && isFloatDtype(x.dtype)) return tf.cast(tf.mul(tf.sign(t), tf.floor(tf.abs(t))), 'int32');
      return tf.cast(t, dtype === 'bool' ? 'bool' : isFloatDtype(dtype) ? 'float32' : 'int32');
    },
    { kind: castKind(dtype), dtype, gradient: isFloatDtype(dtype) ? 'flow' : ZERO },
  );
}
fn('cast', ['x', 'dtype'], (a, site) => theanoCast(site, TT(site, a.x), a.dtype));
method('astype', ['dtype'], (x, a, site) => theanoCast(site, x, a.dtype, 'astype'));
