// Elementwise ufuncs: unary math (float results for int input), rounding, nan_to_num, the binary
// arithmetic and comparison ufuncs with Python scalars kept weak, maximum/minimum, logical ops and
// logaddexp; and np.errstate/seterr (floating-point warnings never stop evaluation here).
import * as tf from '@tensorflow/tfjs';
import { OBJECT_CLASS } from '../../builtins';
import type { CallSite } from '../../callsite';
import {
  type OpKind,
  activationKind,
  elementwiseKind,
  logicalKind,
  predicateKind,
  roundingKind,
  unaryKind,
} from '../../opKinds';
import { extremumWithTies } from '../../ops/arraylib';
import { broadcastShapes, castTensor } from '../../ops/coercion';
import { binaryOp, coerceOperands, unaryOp, type BinaryOperator, type UnaryResult } from '../../ops/elementwise';
import { detach } from '../../runtime';
import { type TensorValue, isFloatDtype } from '../../tensor';
import type { GradientMode } from '../../trace';
import { PyClass, PyDict, type PyValue } from '../../values';
import { type Bound, def, floatArg, intArg } from '../common';
import { FLAVOUR, N, broadcastError, dtypeArg, isNumberLike, noOut } from './arguments';
import { both, fn, npFunctions } from './tables';

export const UFUNC_TAIL = [
  'out=None',
  '*',
  'where=True',
  "casting='same_kind'",
  "order='K'",
  'dtype=None',
  'subok=True',
];

export function finishUfunc(site: CallSite, result: TensorValue, a: Bound): TensorValue {
  const dtype = dtypeArg(a.dtype);
  return dtype && dtype !== result.dtype ? castTensor(site, result, dtype) : result;
}

function unary(
  name: string,
  kind: OpKind,
  f: (t: tf.Tensor) => tf.Tensor,
  result: UnaryResult = 'float',
  gradient: GradientMode = 'flow',
): void {
  fn(name, ['x', ...UFUNC_TAIL], (a, site) => {
    noOut(a, name);
    return finishUfunc(site, unaryOp(site, name, kind, N(site, a.x), FLAVOUR, f, result, gradient), a);
  });
}

const LN2 = Math.LN2;
const LN10 = Math.LN10;
const FLOAT_UNARY: Record<string, [(t: tf.Tensor) => tf.Tensor, OpKind]> = {
  exp: [tf.exp, unaryKind('exp')],
  expm1: [tf.expm1, unaryKind('expm1')],
  exp2: [(t) => tf.exp(tf.mul(t, LN2)), unaryKind('exp2')],
  log: [tf.log, unaryKind('log')],
  log1p: [tf.log1p, unaryKind('log1p')],
  log2: [(t) => tf.div(tf.log(t), LN2), unaryKind('log2')],
  log10: [(t) => tf.div(tf.log(t), LN10), unaryKind('log10')],
  sqrt: [tf.sqrt, unaryKind('sqrt')],
  sin: [tf.sin, unaryKind('sin')],
  cos: [tf.cos, unaryKind('cos')],
  tan: [tf.tan, unaryKind('tan')],
  tanh: [tf.tanh, activationKind('tanh')],
  sinh: [tf.sinh, unaryKind('sinh')],
  cosh: [tf.cosh, unaryKind('cosh')],
  arctan: [tf.atan, unaryKind('atan')],
  arcsin: [tf.asin, unaryKind('asin')],
  arccos: [tf.acos, unaryKind('acos')],
  arctanh: [tf.atanh, unaryKind('atanh')],
  reciprocal: [tf.reciprocal, unaryKind('reciprocal')],
};
for (const [name, [f, kind]] of Object.entries(FLOAT_UNARY)) unary(name, kind, f);
unary('square', unaryKind('square'), (t) => tf.mul(t, t), 'same');
unary('abs', unaryKind('abs'), tf.abs, 'same');
npFunctions.set('absolute', npFunctions.get('abs')!);
npFunctions.set('fabs', npFunctions.get('abs')!);
unary('negative', unaryKind('neg'), tf.neg, 'same');
unary('positive', { category: 'copy' }, (t) => tf.clone(t), 'same');
// sign: a zero gradient (torch.sign in the golden shim; autograd and JAX agree)
unary('sign', roundingKind('sign'), tf.sign, 'same', 'zero');
// piecewise-constant rounding: no gradient path
unary('floor', roundingKind('floor'), tf.floor, 'same', 'cut');
unary('ceil', roundingKind('ceil'), tf.ceil, 'same', 'cut');
unary('rint', roundingKind('round'), tf.round, 'same', 'cut');
unary('trunc', roundingKind('trunc'), (t) => tf.mul(tf.sign(t), tf.floor(tf.abs(t))), 'same', 'cut');
npFunctions.set('fix', npFunctions.get('trunc')!);
for (const [name, f] of [
  ['isnan', tf.isNaN],
  ['isinf', tf.isInf],
  ['isfinite', tf.isFinite],
] as const) {
  unary(name, predicateKind(name), f, 'bool');
}
fn('isneginf', ['x', 'out=None'], (a, site) =>
  unaryOp(site, 'isneginf', predicateKind('isneginf'), N(site, a.x), FLAVOUR, (t) => tf.equal(t, -Infinity), 'bool'),
);
fn('isposinf', ['x', 'out=None'], (a, site) =>
  unaryOp(site, 'isposinf', predicateKind('isposinf'), N(site, a.x), FLAVOUR, (t) => tf.equal(t, Infinity), 'bool'),
);
fn('logical_not', ['x', ...UFUNC_TAIL], (a, site) => {
  const x = castTensor(site, N(site, a.x), 'bool');
  return unaryOp(site, 'logical_not', logicalKind('not'), x, FLAVOUR, tf.logicalNot, 'bool');
});

/** numpy round: half to even, optionally at `decimals` places; piecewise constant, so no gradient. */
function roundValue(site: CallSite, x: TensorValue, decimals: number): TensorValue {
  const scale = 10 ** decimals;
  const input = x.dtype === 'bool' ? castTensor(site, x, 'int64') : x;
  if (!isFloatDtype(input.dtype) && decimals >= 0) return input;
  const round = (t: tf.Tensor) => (decimals === 0 ? tf.round(t) : tf.div(tf.round(tf.mul(t, scale)), scale));
  return site.rt.apply(site, 'round', [input], ([t]) => round(t), {
    kind: roundingKind('round'),
    dtype: input.dtype,
    gradient: 'cut',
  });
}
both('round', ['decimals=0', 'out=None'], (x, a, site) => {
  noOut(a, 'round');
  return roundValue(site, x, intArg(a.decimals, 'decimals'));
});
npFunctions.set('around', npFunctions.get('round')!);
npFunctions.set('round_', npFunctions.get('round')!);

fn('nan_to_num', ['x', 'copy=True', 'nan=0.0', 'posinf=None', 'neginf=None'], (a, site) => {
  const x = N(site, a.x);
  if (!isFloatDtype(x.dtype)) return x;
  // numpy uses the dtype's largest finite value; values live in float32 here, so float32's.
  const big = 3.4028234663852886e38;
  const nan = floatArg(a.nan);
  const posinf = a.posinf === null ? big : floatArg(a.posinf);
  const neginf = a.neginf === null ? -big : floatArg(a.neginf);
  return site.rt.apply(
    site,
    'nan_to_num',
    [x],
    ([t]) => {
      const plain = detach(t);
      const noNan = tf.where(tf.isNaN(plain), tf.fill(t.shape, nan), t);
      return tf.where(
        tf.equal(plain, Infinity),
        tf.fill(t.shape, posinf),
        tf.where(tf.equal(plain, -Infinity), tf.fill(t.shape, neginf), noNan),
      );
    },
    { kind: unaryKind('nan_to_num'), dtype: x.dtype },
  );
});

const BINARY_UFUNCS: Record<string, BinaryOperator> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  true_divide: '/',
  floor_divide: '//',
  power: '**',
  mod: '%',
  remainder: '%',
  equal: '==',
  not_equal: '!=',
  greater: '>',
  greater_equal: '>=',
  less: '<',
  less_equal: '<=',
};
for (const [name, op] of Object.entries(BINARY_UFUNCS)) {
  fn(name, ['x1', 'x2', ...UFUNC_TAIL], (a, site) => {
    noOut(a, name);
    const [x1, x2] = operands(site, a.x1, a.x2);
    return finishUfunc(site, binaryOp(site, op, x1, x2, name), a);
  });
}

/** Ufunc operands: Python scalars stay weak (numpy's value-based casting); anything else becomes an array. */
function operands(site: CallSite, p: PyValue, q: PyValue): [PyValue, PyValue] {
  const x = isNumberLike(p) && !isNumberLike(q) ? p : N(site, p);
  const y = isNumberLike(q) ? q : N(site, q);
  return [x, y];
}

/** maximum/minimum: ties share the gradient half and half (torch.maximum in the golden shim). */
for (const [name, extreme] of [
  ['maximum', 'max'],
  ['minimum', 'min'],
] as const) {
  const f = extremumWithTies(extreme, 'split');
  fn(name, ['x1', 'x2', ...UFUNC_TAIL], (a, site) => {
    noOut(a, name);
    const [x, y, dtype] = coerceOperands(site, ...operands(site, a.x1, a.x2), FLAVOUR);
    const shape = broadcastShapes(x.shape, y.shape, broadcastError);
    site.rt.guard.checkTensorElements(shape, `the result of ${name}`);
    const broadcast = x.shape.join(',') !== shape.join(',') || y.shape.join(',') !== shape.join(',');
    const result = site.rt.apply(site, name, [x, y], ([p, q]) => f(p, q), {
      kind: elementwiseKind(name),
      dtype,
      broadcast,
      flavour: FLAVOUR,
    });
    return finishUfunc(site, result, a);
  });
}

const LOGICAL = [
  ['logical_and', tf.logicalAnd, 'and'],
  ['logical_or', tf.logicalOr, 'or'],
  ['logical_xor', tf.logicalXor, 'xor'],
] as const;
for (const [name, f, operator] of LOGICAL) {
  fn(name, ['x1', 'x2', ...UFUNC_TAIL], (a, site) => {
    const x = castTensor(site, N(site, a.x1), 'bool');
    const y = castTensor(site, N(site, a.x2), 'bool');
    const shape = broadcastShapes(x.shape, y.shape, broadcastError);
    return site.rt.apply(site, name, [x, y], ([p, q]) => f(tf.broadcastTo(p, shape), tf.broadcastTo(q, shape)), {
      kind: logicalKind(operator),
      dtype: 'bool',
      gradient: 'cut',
      broadcast: x.shape.join(',') !== y.shape.join(','),
    });
  });
}

fn('logaddexp', ['x1', 'x2', ...UFUNC_TAIL], (a, site) => {
  const [x, y, dtype] = coerceOperands(site, N(site, a.x1), N(site, a.x2), FLAVOUR);
  const fx = isFloatDtype(dtype) ? x : castTensor(site, x, 'float64');
  const fy = isFloatDtype(dtype) ? y : castTensor(site, y, 'float64');
  return site.rt.apply(
    site,
    'logaddexp',
    [fx, fy],
    ([p, q]) => {
      // m + log(e^(p-m) + e^(q-m)): stable, and the gradient of m cancels, so ties are exact
      const m = tf.maximum(p, q);
      return tf.add(m, tf.log(tf.add(tf.exp(tf.sub(p, m)), tf.exp(tf.sub(q, m)))));
    },
    { kind: elementwiseKind('logaddexp'), dtype: fx.dtype, broadcast: x.shape.join(',') !== y.shape.join(',') },
  );
});

/** `with np.errstate(divide='ignore'):` — numpy's floating-point warnings never stop evaluation here. */
const ERRSTATE = new PyClass(
  'errstate',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    [
      '__init__',
      def(
        'errstate.__init__',
        ['self', '*', 'call=None', 'all=None', 'divide=None', 'over=None', 'under=None', 'invalid=None'],
        () => null,
      ),
    ],
    ['__enter__', def('__enter__', ['self'], () => null)],
    ['__exit__', def('__exit__', ['self', '*args'], () => false)],
  ]),
  undefined,
  'numpy.errstate',
);
npFunctions.set('errstate', ERRSTATE);
const errSettings = () => {
  const d = new PyDict();
  for (const k of ['divide', 'over', 'under', 'invalid']) d.set(k, 'warn');
  return d;
};
fn('seterr', ['all=None', 'divide=None', 'over=None', 'under=None', 'invalid=None'], () => errSettings());
fn('geterr', [], () => errSettings());
