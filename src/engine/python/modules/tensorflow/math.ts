// Elementwise math: unary functions and activations with the dtypes TF has kernels for, arithmetic
// and comparisons without dtype promotion, maximum/minimum, the *_no_nan ops, xlogy, logical ops
// and cumsum, with TF's registered gradients (none for Round/Floor/Ceil/FloorDiv, zero for Sign).
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { valueError } from '../../errors';
import {
  type LogicalOperator,
  type OpKind,
  type PredicateTest,
  activationKind,
  elementwiseKind,
  logicalKind,
  predicateKind,
  roundingKind,
  unaryKind,
} from '../../opKinds';
import { broadcastShapes, castTensor } from '../../ops/coercion';
import { binaryFunction, binaryOp, type BinaryOperator } from '../../ops/elementwise';
import { absSignGrad, selectMaximum, selectMinimum, selectWhere } from '../../ops/select';
import { toFloat, truthy } from '../../protocols';
import { type LogicalDtype, type TensorValue, isFloatDtype } from '../../tensor';
import type { GradientMode } from '../../trace';
import { PyList, PyTuple, type PyValue } from '../../values';
import {
  T,
  TF_FLAVOUR,
  incompatibleShapes,
  noKernel,
  requireBool,
  requireFloat,
  requireNumeric,
  sameDtype,
  tfAxis,
  tfOperands,
} from './arguments';
import { TOP_MATH, fn, math, nn, top } from './tables';

/** An elementwise unary op; `accepts` are the dtypes TF has a kernel for. */
export function tfUnary(
  site: CallSite,
  name: string,
  kind: OpKind,
  value: PyValue,
  fn: (t: tf.Tensor) => tf.Tensor,
  accepts: 'float' | 'numeric' | 'any' = 'float',
  gradient: GradientMode = 'flow',
  kernel = name,
): TensorValue {
  const x = T(site, value);
  if (accepts === 'float') requireFloat(x, kernel);
  if (accepts === 'numeric') requireNumeric(x, kernel);
  return site.rt.apply(site, name, [x], ([t]) => fn(t), { kind, dtype: x.dtype, gradient });
}

function predicate(
  site: CallSite,
  name: string,
  test: PredicateTest,
  value: PyValue,
  fn: (t: tf.Tensor) => tf.Tensor,
): TensorValue {
  const x = T(site, value);
  requireFloat(x, name);
  return site.rt.apply(site, name, [x], ([t]) => fn(t), { kind: predicateKind(test), dtype: 'bool', gradient: 'cut' });
}

const ARITH_KERNELS: Record<string, string> = {
  '+': 'AddV2',
  '-': 'Sub',
  '*': 'Mul',
  '/': 'RealDiv',
  '**': 'Pow',
  '%': 'FloorMod',
};

/** x + y, x - y, x * y, x / y, x ** y, x % y with TF's dtype rules (int / int is float64). */
export function tfArith(
  site: CallSite,
  op: '+' | '-' | '*' | '/' | '**' | '%',
  a: PyValue,
  b: PyValue,
  opName: string,
): TensorValue {
  const kernel = ARITH_KERNELS[op];
  let [x, y] = tfOperands(site, kernel, a, b);
  requireNumeric(x, kernel);
  if (op === '/' && !isFloatDtype(x.dtype)) {
    // tf.math.truediv: int8/int16/uint8 divide as float32, int32/int64 as float64
    const to: LogicalDtype = x.dtype === 'int32' || x.dtype === 'int64' ? 'float64' : 'float32';
    x = castTensor(site, x, to);
    y = castTensor(site, y, to);
  }
  return binaryOp(site, op, x, y, opName);
}

const COMPARE_KERNELS: Record<string, string> = {
  '==': 'Equal',
  '!=': 'NotEqual',
  '>': 'Greater',
  '>=': 'GreaterEqual',
  '<': 'Less',
  '<=': 'LessEqual',
};

/** tf.equal, tf.greater...: a bool tensor with no gradient. */
export function tfCompare(
  site: CallSite,
  op: '==' | '!=' | '>' | '>=' | '<' | '<=',
  a: PyValue,
  b: PyValue,
  opName: string,
): TensorValue {
  const [x, y] = tfOperands(site, COMPARE_KERNELS[op], a, b);
  if (x.dtype === 'bool' && op !== '==' && op !== '!=') throw noKernel(COMPARE_KERNELS[op], 'bool');
  return binaryOp(site, op as BinaryOperator, x, y, opName);
}

/** tf.maximum / tf.minimum (a tie sends the gradient to the first argument, as TF's MaximumGrad does). */
export function tfMinMax(site: CallSite, which: 'maximum' | 'minimum', a: PyValue, b: PyValue): TensorValue {
  const [x, y] = tfOperands(site, which === 'maximum' ? 'Maximum' : 'Minimum', a, b);
  requireNumeric(x, which === 'maximum' ? 'Maximum' : 'Minimum');
  const select = which === 'maximum' ? selectMaximum : selectMinimum;
  return binaryFunction(site, which, elementwiseKind(which), x, y, select, TF_FLAVOUR);
}

/** The operands of a float-only binary kernel (DivNoNan, Xlogy, MulNoNan): same dtype, float, broadcastable. */
function floatOperands(site: CallSite, kernel: string, a: PyValue, b: PyValue): [TensorValue, TensorValue] {
  const [x, y] = tfOperands(site, kernel, a, b);
  requireFloat(x, kernel);
  broadcastShapes(x.shape, y.shape, incompatibleShapes(kernel));
  return [x, y];
}

/** tf.math.divide_no_nan: x / y, and 0 (with a zero gradient) where y == 0. */
export function divideNoNan(site: CallSite, a: PyValue, b: PyValue): TensorValue {
  const [x, y] = floatOperands(site, 'DivNoNan', a, b);
  return site.rt.apply(
    site,
    'divide_no_nan',
    [x, y],
    ([p, q]) => {
      const zero = tf.equal(q, 0);
      const safe = selectWhere(zero, tf.onesLike(q), q);
      const shape = tf.broadcastTo(tf.div(p, safe), broadcastShapes(p.shape, q.shape, null));
      return selectWhere(zero, tf.zerosLike(shape), shape);
    },
    {
      kind: { category: 'elementwise', operator: 'div', guarded: true },
      dtype: x.dtype,
      broadcast: x.shape.join(',') !== y.shape.join(','),
    },
  );
}

/**
 * Both operands broadcast to their common shape (the masks below need equal shapes); callers
 * checked that they broadcast.
 */
function broadcastBoth(p: tf.Tensor, q: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const shape = broadcastShapes(p.shape, q.shape, null);
  return [tf.broadcastTo(p, shape), tf.broadcastTo(q, shape)];
}

/** tf.math.xlogy: x * log(y), 0 where x == 0 (gradients included, as TF's XlogyGrad). */
function xlogy(site: CallSite, a: PyValue, b: PyValue): TensorValue {
  const [x, y] = floatOperands(site, 'Xlogy', a, b);
  return site.rt.apply(
    site,
    'xlogy',
    [x, y],
    ([p, q]) => {
      const [pb, qb] = broadcastBoth(p, q);
      const safe = selectWhere(tf.equal(pb, 0), tf.onesLike(qb), qb);
      return tf.mul(pb, tf.log(safe));
    },
    {
      kind: { category: 'elementwise', operator: 'xlogy', guarded: true },
      dtype: x.dtype,
      broadcast: x.shape.join(',') !== y.shape.join(','),
    },
  );
}

function multiplyNoNan(site: CallSite, a: PyValue, b: PyValue): TensorValue {
  const [x, y] = floatOperands(site, 'MulNoNan', a, b);
  return site.rt.apply(
    site,
    'multiply_no_nan',
    [x, y],
    ([p, q]) => {
      const [pb, qb] = broadcastBoth(p, q);
      const zero = tf.equal(qb, 0);
      return selectWhere(zero, tf.zerosLike(pb), tf.mul(selectWhere(zero, tf.zerosLike(pb), pb), qb));
    },
    {
      kind: { category: 'elementwise', operator: 'mul', guarded: true },
      dtype: x.dtype,
      broadcast: x.shape.join(',') !== y.shape.join(','),
    },
  );
}

function logicalBinary(
  site: CallSite,
  name: string,
  operator: LogicalOperator,
  a: PyValue,
  b: PyValue,
  fn: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor,
): TensorValue {
  const x = T(site, a);
  const y = T(site, b);
  requireBool(x, 'x');
  requireBool(y, 'y');
  return binaryFunction(site, name, logicalKind(operator), x, y, fn, TF_FLAVOUR, 'cut');
}

const FLOAT_UNARY: Record<string, [(t: tf.Tensor) => tf.Tensor, OpKind]> = {
  exp: [tf.exp, unaryKind('exp')],
  log: [tf.log, unaryKind('log')],
  log1p: [tf.log1p, unaryKind('log1p')],
  expm1: [tf.expm1, unaryKind('expm1')],
  sqrt: [tf.sqrt, unaryKind('sqrt')],
  rsqrt: [tf.rsqrt, unaryKind('rsqrt')],
  sigmoid: [tf.sigmoid, activationKind('sigmoid')],
  tanh: [tf.tanh, activationKind('tanh')],
  softplus: [tf.softplus, activationKind('softplus')],
  softsign: [(t) => tf.div(t, tf.add(1, tf.abs(t))), activationKind('softsign')],
  log_sigmoid: [(t) => tf.neg(tf.softplus(tf.neg(t))), activationKind('logsigmoid')],
  sin: [tf.sin, unaryKind('sin')],
  cos: [tf.cos, unaryKind('cos')],
  tan: [tf.tan, unaryKind('tan')],
  sinh: [tf.sinh, unaryKind('sinh')],
  cosh: [tf.cosh, unaryKind('cosh')],
  erf: [tf.erf, unaryKind('erf')],
  atan: [tf.atan, unaryKind('atan')],
  asin: [tf.asin, unaryKind('asin')],
  acos: [tf.acos, unaryKind('acos')],
  elu: [tf.elu, activationKind('elu')],
  selu: [tf.selu, activationKind('selu')],
};
for (const [name, [f, kind]] of Object.entries(FLOAT_UNARY)) {
  fn(TOP_MATH, name, ['x', 'name=None'], (a, site) => tfUnary(site, name, kind, a.x, f));
}
// TF 1 top-level spellings (tf.log, tf.reciprocal...) are tf.math only in TF 2: namespace.ts runs them as TF 1 API.
nn.set('sigmoid', math.get('sigmoid')!);
nn.set('tanh', math.get('tanh')!);
nn.set('softplus', math.get('softplus')!);
nn.set('softsign', math.get('softsign')!);
nn.set('elu', math.get('elu')!);
nn.set('selu', math.get('selu')!);
nn.set('log_sigmoid', math.get('log_sigmoid')!);
const SAME_UNARY: Record<string, [(t: tf.Tensor) => tf.Tensor, OpKind]> = {
  abs: [absSignGrad, unaryKind('abs')],
  negative: [tf.neg, unaryKind('neg')],
  square: [(t) => tf.mul(t, t), unaryKind('square')],
  reciprocal: [tf.reciprocal, unaryKind('reciprocal')],
};
for (const [name, [f, kind]] of Object.entries(SAME_UNARY)) {
  fn(TOP_MATH, name, ['x', 'name=None'], (a, site) => tfUnary(site, name, kind, a.x, f, 'numeric'));
}
// TF registers no gradient for Round, Floor and Ceil (None: the result is disconnected); Sign's is zeros.
fn(TOP_MATH, 'round', ['x', 'name=None'], (a, site) =>
  tfUnary(site, 'round', roundingKind('round'), a.x, tf.round, 'numeric', 'cut'),
);
fn(TOP_MATH, 'floor', ['x', 'name=None'], (a, site) =>
  tfUnary(site, 'floor', roundingKind('floor'), a.x, tf.floor, 'float', 'cut'),
);
fn(TOP_MATH, 'ceil', ['x', 'name=None'], (a, site) =>
  tfUnary(site, 'ceil', roundingKind('ceil'), a.x, tf.ceil, 'float', 'cut'),
);
fn(TOP_MATH, 'sign', ['x', 'name=None'], (a, site) =>
  tfUnary(site, 'sign', roundingKind('sign'), a.x, tf.sign, 'numeric', 'zero'),
);
fn([top, math, nn], 'relu', ['features', 'name=None'], (a, site) =>
  tfUnary(site, 'relu', activationKind('relu'), a.features, tf.relu, 'numeric'),
);
fn(
  [nn],
  'relu6',
  ['features', 'name=None'],
  (a, site) => tfUnary(site, 'relu6', activationKind('relu6'), a.features, tf.relu6, 'numeric'),
  'tf.nn.relu6',
);
fn(
  [nn],
  'leaky_relu',
  ['features', 'alpha=0.2', 'name=None'],
  (a, site) => {
    const leaky = (t: tf.Tensor) => tf.leakyRelu(t, toFloat(a.alpha));
    return tfUnary(site, 'leaky_relu', activationKind('leaky_relu'), a.features, leaky);
  },
  'tf.nn.leaky_relu',
);
fn(
  [nn, math],
  'silu',
  ['features', 'beta=1.0'],
  (a, site) => {
    const silu = (t: tf.Tensor) => tf.mul(t, tf.sigmoid(tf.mul(t, toFloat(a.beta))));
    return tfUnary(site, 'silu', activationKind('silu'), a.features, silu);
  },
  'tf.nn.silu',
);
nn.set('swish', nn.get('silu')!);
const PREDICATES = [
  ['is_nan', tf.isNaN, 'isnan'],
  ['is_inf', tf.isInf, 'isinf'],
  ['is_finite', tf.isFinite, 'isfinite'],
] as const;
for (const [name, f, test] of PREDICATES) {
  fn([math], name, ['x', 'name=None'], (a, site) => predicate(site, name, test, a.x, f), `tf.math.${name}`);
}

const ARITH: Record<string, '+' | '-' | '*' | '/' | '**' | '%'> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  truediv: '/',
  realdiv: '/',
  floormod: '%',
  mod: '%',
};
for (const [name, op] of Object.entries(ARITH))
  fn(TOP_MATH, name, ['x', 'y', 'name=None'], (a, site) => tfArith(site, op, a.x, a.y, name));
fn(TOP_MATH, 'pow', ['x', 'y', 'name=None'], (a, site) => tfArith(site, '**', a.x, a.y, 'pow'));
fn(TOP_MATH, 'floordiv', ['x', 'y', 'name=None'], (a, site) => {
  const [x, y] = tfOperands(site, 'FloorDiv', a.x, a.y);
  requireNumeric(x, 'FloorDiv');
  // TF registers no gradient for FloorDiv
  const floorDiv = (p: tf.Tensor, q: tf.Tensor) => (isFloatDtype(x.dtype) ? tf.floor(tf.div(p, q)) : tf.floorDiv(p, q));
  return site.rt.apply(site, 'floordiv', [x, y], ([p, q]) => floorDiv(p, q), {
    kind: elementwiseKind('floordiv'),
    dtype: x.dtype,
    gradient: 'cut',
    broadcast: x.shape.join(',') !== y.shape.join(','),
  });
});
fn(TOP_MATH, 'squared_difference', ['x', 'y', 'name=None'], (a, site) => {
  const [x, y] = tfOperands(site, 'SquaredDifference', a.x, a.y);
  requireNumeric(x, 'SquaredDifference');
  const kind = elementwiseKind('squared_difference');
  return binaryFunction(site, 'squared_difference', kind, x, y, (p, q) => tf.squaredDifference(p, q), TF_FLAVOUR);
});
fn(TOP_MATH, 'scalar_mul', ['scalar', 'x', 'name=None'], (a, site) => tfArith(site, '*', a.x, a.scalar, 'scalar_mul'));
fn(TOP_MATH, 'add_n', ['inputs', 'name=None'], (a, site) => {
  const items = sameDtype(
    site,
    'AddN',
    a.inputs instanceof PyList || a.inputs instanceof PyTuple ? [...a.inputs.items] : [a.inputs],
  );
  if (!items.length) throw valueError('inputs must be a list of at least one Tensor with the same dtype and shape');
  return items.slice(1).reduce<TensorValue>((acc, t) => binaryOp(site, '+', acc, t, 'add_n'), items[0]);
});
fn(TOP_MATH, 'maximum', ['x', 'y', 'name=None'], (a, site) => tfMinMax(site, 'maximum', a.x, a.y));
fn(TOP_MATH, 'minimum', ['x', 'y', 'name=None'], (a, site) => tfMinMax(site, 'minimum', a.x, a.y));
fn(TOP_MATH, 'divide_no_nan', ['x', 'y', 'name=None'], (a, site) => divideNoNan(site, a.x, a.y));
fn(TOP_MATH, 'multiply_no_nan', ['x', 'y', 'name=None'], (a, site) => multiplyNoNan(site, a.x, a.y));
fn(TOP_MATH, 'xlogy', ['x', 'y', 'name=None'], (a, site) => xlogy(site, a.x, a.y));
fn(TOP_MATH, 'xdivy', ['x', 'y', 'name=None'], (a, site) => divideNoNan(site, a.x, a.y));

const COMPARE: Record<string, '==' | '!=' | '>' | '>=' | '<' | '<='> = {
  equal: '==',
  not_equal: '!=',
  greater: '>',
  greater_equal: '>=',
  less: '<',
  less_equal: '<=',
};
for (const [name, op] of Object.entries(COMPARE))
  fn(TOP_MATH, name, ['x', 'y', 'name=None'], (a, site) => tfCompare(site, op, a.x, a.y, name));
fn(TOP_MATH, 'logical_and', ['x', 'y', 'name=None'], (a, site) =>
  logicalBinary(site, 'logical_and', 'and', a.x, a.y, tf.logicalAnd),
);
fn(TOP_MATH, 'logical_or', ['x', 'y', 'name=None'], (a, site) =>
  logicalBinary(site, 'logical_or', 'or', a.x, a.y, tf.logicalOr),
);
fn(TOP_MATH, 'logical_xor', ['x', 'y', "name='LogicalXor'"], (a, site) =>
  logicalBinary(site, 'logical_xor', 'xor', a.x, a.y, tf.logicalXor),
);
fn(TOP_MATH, 'logical_not', ['x', 'name=None'], (a, site) => {
  const x = T(site, a.x);
  requireBool(x, 'x');
  return site.rt.apply(site, 'logical_not', [x], ([t]) => tf.logicalNot(t), {
    kind: logicalKind('not'),
    dtype: 'bool',
    gradient: 'cut',
  });
});

fn(TOP_MATH, 'cumsum', ['x', 'axis=0', 'exclusive=False', 'reverse=False', 'name=None'], (a, site) => {
  const x = T(site, a.x);
  requireNumeric(x, 'Cumsum');
  const axis = tfAxis(a.axis, x.rank, 'cumsum');
  return site.rt.apply(site, 'cumsum', [x], ([t]) => tf.cumsum(t, axis, truthy(a.exclusive), truthy(a.reverse)), {
    kind: { category: 'scan', fn: 'cumsum', axis },
    dtype: x.dtype,
  });
});
