// numpy (`import numpy as np`) and numpy.ndarray methods, with numpy's semantics: axis/keepdims,
// float64 for Python floats and float lists, int64 for ints, bool sums → int64, int means → float64,
// 0-d results for full reductions (standing for numpy scalars). numpy has no autograd; Loss Lens
// reads numpy code as differentiable math the way autograd/JAX would: elementwise, reduction and
// shape ops pass the gradient, argmax/argmin, comparisons, logical ops, round/floor/ceil, integer
// and bool casts, unique and count_nonzero cut it, and sign has a zero gradient (as torch.sign,
// which the golden numpy shim uses).
import * as tf from '@tensorflow/tfjs';
import { registerTensorAttributes, tensorMethod, tensorProperty, type TensorAttribute } from '../attributes';
import { OBJECT_CLASS, TYPE_CLASSES } from '../builtins';
import type { CallSite } from '../callsite';
import { InterpreterError, typeError, unsupported, valueError } from '../errors';
import { argsortValue, cumsumValue, dotValue, evenExtremum, extremumWithTies, repeatValue, sortValue } from '../ops/arraylib';
import { asTensor, castTensor, promoteTypes } from '../ops/convert';
import { binaryOp, clip, coerceOperands, unaryOp, where, type BinaryOperator, type UnaryResult } from '../ops/elementwise';
import { einsum } from '../ops/nn';
import { argReduce, reduce, type ReduceKind } from '../ops/reduce';
import { broadcastTo, concat, filled, permute, reshape, squeeze, stack, swapAxes, tile, zerosLike } from '../ops/shape';
import { isTensor, tensorScalar, toAxes, toFloat, toShape, truthy } from '../protocols';
import { type LogicalDtype, TensorValue, isFloatDtype, isIntDtype, storageDtype } from '../tensor';
import type { GradientMode } from '../trace';
import { BuiltinFunction, PyClass, PyDict, PyInstance, PyList, PyTuple, type PyValue, typeName } from '../values';
import { detach } from '../runtime';
import { bindArgs } from '../signature';
import { type Bound, boolArg, def, dtypeEntries, dtypeObject, floatArg, intArg, parseDtype } from './common';
import { registerModule } from './registry';

const FLAVOUR = 'numpy';

/** Any array-like as a numpy-flavoured tensor (tensors of other frameworks are viewed as ndarrays). */
function N(site: CallSite, value: PyValue, dtype?: LogicalDtype): TensorValue {
  if (isTensor(value) && value.flavour !== FLAVOUR) {
    value = new TensorValue(value.tensor, value.dtype, FLAVOUR, value.origin, value.requiresGrad, value.producer);
  }
  return asTensor(site, value, FLAVOUR, dtype);
}

const npFunctions = new Map<string, PyValue>();
const arrayMethods: Record<string, TensorAttribute> = {};

function fn(name: string, spec: readonly string[], impl: (a: Bound, site: CallSite) => PyValue, aliases?: Record<string, string>): void {
  npFunctions.set(name, def(name, spec, impl, aliases));
}

function method(name: string, spec: readonly string[], impl: (self: TensorValue, a: Bound, site: CallSite) => PyValue, aliases?: Record<string, string>): void {
  arrayMethods[name] = tensorMethod((self, args, site) => impl(self, bindArgs(name, args, spec, aliases), site));
}

/** `np.name(a, ...spec)` and `ndarray.name(...spec)` with one implementation. */
function both(name: string, spec: readonly string[], impl: (x: TensorValue, a: Bound, site: CallSite) => PyValue): void {
  fn(name, ['a', ...spec], (a, site) => impl(N(site, a.a), a, site));
  method(name, spec, impl);
}

// ------------------------------------------------------------------ argument checks

function axisError(axis: number, rank: number): InterpreterError {
  return new InterpreterError('python', `AxisError: axis ${axis} is out of bounds for array of dimension ${rank}`, undefined, 'IndexError');
}

function npAxis(value: PyValue, rank: number): number {
  const axis = intArg(value, 'axis');
  if (axis < -rank || axis >= rank) throw axisError(axis, rank);
  return axis < 0 ? axis + rank : axis;
}

/** numpy's axis argument: None, an int, or a tuple of ints, checked against the rank. */
function npAxes(value: PyValue, rank: number): number[] | undefined {
  const axes = toAxes(value);
  if (axes === undefined) return undefined;
  const out = axes.map((a) => {
    if (a < -rank || a >= rank) throw axisError(a, rank);
    return a < 0 ? a + rank : a;
  });
  if (new Set(out).size !== out.length) throw valueError("duplicate value in 'axis'");
  return out;
}

/** Arguments that would write into or mask an existing array: not interpreted. */
function noOut(a: Bound, name: string): void {
  if (a.out !== undefined && a.out !== null) throw unsupported(`numpy.${name}(out=...)`);
  if (a.where !== undefined && a.where !== true) throw unsupported(`numpy.${name}(where=...)`);
  if (a.initial !== undefined && a.initial !== null) throw unsupported(`numpy.${name}(initial=...)`);
}

function dtypeArg(value: PyValue): LogicalDtype | undefined {
  return parseDtype(value, FLAVOUR);
}

/** numpy's shape arguments: an int, or a sequence of ints (never negative). */
function shapeArg(value: PyValue): number[] {
  const shape = toShape(value);
  if (shape.some((d) => d < 0)) throw valueError('negative dimensions are not allowed');
  return shape;
}

/** `a.reshape(2, 3)` and `a.reshape((2, 3))`. */
function varShape(value: PyValue): number[] {
  const items = (value as PyTuple).items;
  return items.length === 1 && (items[0] instanceof PyList || items[0] instanceof PyTuple || isTensor(items[0])) ? toShape(items[0]) : toShape(new PyTuple(items));
}

/** numpy's NPY_MAXDIMS: also keeps padding helpers from building huge shape arrays. */
const MAX_DIMS = 32;

const shapeText = (shape: number[]) => `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;

function npReshape(site: CallSite, x: TensorValue, shape: number[], opName = 'reshape'): TensorValue {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw valueError('can only specify one unknown dimension');
  if (shape.some((d) => d < -1)) throw valueError('negative dimensions not allowed');
  const known = shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const fits = unknown ? (known === 0 ? x.size === 0 : x.size % known === 0) : known === x.size;
  if (!fits) throw valueError(`cannot reshape array of size ${x.size} into shape ${shapeText(shape)}`);
  return reshape(site, x, shape, opName);
}

/** A Python scalar of the array's kind (item(), tolist()). */
function pyScalar(dtype: LogicalDtype, value: number): PyValue {
  if (isFloatDtype(dtype)) return value;
  if (dtype === 'bool') return value !== 0;
  return BigInt(value);
}

// ------------------------------------------------------------------ reductions

/** numpy max/min: the gradient of tied extrema is shared evenly (as torch.amax, the golden shim). */
function extremum(site: CallSite, kind: 'max' | 'min', x: TensorValue, axes: number[] | undefined, keepdims: boolean, opName: string): TensorValue {
  if (x.size === 0 && (axes === undefined || axes.some((a) => x.shape[a] === 0))) {
    throw valueError(`zero-size array to reduction operation ${kind === 'max' ? 'maximum' : 'minimum'} which has no identity`);
  }
  if (!isFloatDtype(x.dtype)) return reduce(site, kind, x, axes, keepdims, { opName });
  return site.rt.apply(site, opName, [x], ([t]) => evenExtremum(t, kind, axes, keepdims), { dtype: x.dtype });
}

function reduction(name: string, kind: ReduceKind, withDtype: boolean): void {
  const spec = withDtype ? ['axis=None', 'dtype=None', 'out=None', 'keepdims=False', 'initial=None', 'where=True'] : ['axis=None', 'out=None', 'keepdims=False', 'initial=None', 'where=True'];
  both(name, spec, (x, a, site) => {
    noOut(a, name);
    const axes = npAxes(a.axis, x.rank);
    const keep = boolArg(a.keepdims);
    if (kind === 'max' || kind === 'min') return extremum(site, kind, x, axes, keep, name);
    return reduce(site, kind, x, axes, keep, { opName: name, dtype: withDtype ? dtypeArg(a.dtype) : undefined });
  });
}
reduction('sum', 'sum', true);
reduction('prod', 'prod', true);
reduction('mean', 'mean', true);
reduction('max', 'max', false);
reduction('min', 'min', false);
reduction('any', 'any', false);
reduction('all', 'all', false);
npFunctions.set('amax', npFunctions.get('max')!);
npFunctions.set('amin', npFunctions.get('min')!);
npFunctions.set('product', npFunctions.get('prod')!);

for (const kind of ['var', 'std'] as const) {
  both(kind, ['axis=None', 'dtype=None', 'out=None', 'ddof=0', 'keepdims=False', '*', 'where=True'], (x, a, site) => {
    noOut(a, kind);
    return reduce(site, kind, x, npAxes(a.axis, x.rank), boolArg(a.keepdims), { opName: kind, correction: floatArg(a.ddof), dtype: dtypeArg(a.dtype) });
  });
}

for (const kind of ['argmax', 'argmin'] as const) {
  both(kind, ['axis=None', 'out=None', '*', 'keepdims=False'], (x, a, site) => {
    noOut(a, kind);
    if (x.size === 0) throw valueError(`attempt to get ${kind} of an empty sequence`);
    return argReduce(site, kind, x, a.axis === null ? undefined : npAxis(a.axis, x.rank), boolArg(a.keepdims));
  });
}

/** nansum / nanmean: NaNs count as absent (their gradient is zero). */
for (const kind of ['nansum', 'nanmean'] as const) {
  fn(kind, ['a', 'axis=None', 'dtype=None', 'out=None', 'keepdims=False', '*', 'where=True'], (a, site) => {
    noOut(a, kind);
    let x = N(site, a.a);
    const dtype = dtypeArg(a.dtype) ?? (kind === 'nanmean' && !isFloatDtype(x.dtype) ? 'float64' : kind === 'nansum' && !isFloatDtype(x.dtype) ? 'int64' : x.dtype);
    if (x.dtype !== dtype) x = castTensor(site, x, dtype);
    const axes = npAxes(a.axis, x.rank);
    const keep = boolArg(a.keepdims);
    return site.rt.apply(site, kind, [x], ([t]) => {
      if (t.dtype !== 'float32') return kind === 'nansum' ? tf.sum(t, axes, keep) : tf.div(tf.sum(t, axes, keep), tf.sum(tf.onesLike(t), axes, keep));
      const present = tf.logicalNot(tf.isNaN(detach(t))); // masks from a detached copy: TF.js has no gradient for LogicalNot/Equal
      const sum = tf.sum(tf.where(present, t, tf.zerosLike(t)), axes, keep);
      return kind === 'nansum' ? sum : tf.div(sum, tf.sum(tf.cast(present, 'float32'), axes, keep));
    }, { dtype });
  });
}
for (const kind of ['nanmax', 'nanmin'] as const) {
  fn(kind, ['a', 'axis=None', 'out=None', 'keepdims=False'], (a, site) => {
    noOut(a, kind);
    const x = N(site, a.a);
    const axes = npAxes(a.axis, x.rank);
    const fill = kind === 'nanmax' ? -Infinity : Infinity;
    const filledX = isFloatDtype(x.dtype)
      ? site.rt.apply(site, 'nan_fill', [x], ([t]) => tf.where(tf.isNaN(detach(t)), tf.fill(t.shape, fill), t), { dtype: x.dtype })
      : x;
    return extremum(site, kind === 'nanmax' ? 'max' : 'min', filledX, axes, boolArg(a.keepdims), kind);
  });
}

fn('average', ['a', 'axis=None', 'weights=None', 'returned=False', '*', 'keepdims=False'], (a, site) => {
  const x = N(site, a.a);
  const axes = npAxes(a.axis, x.rank);
  const keep = boolArg(a.keepdims);
  if (a.weights === null) {
    const mean = reduce(site, 'mean', x, axes, keep, { opName: 'average' });
    return truthy(a.returned) ? new PyTuple([mean, filled(site, mean.shape, axes === undefined ? x.size : axes.reduce((n, d) => n * x.shape[d], 1), mean.dtype, FLAVOUR)]) : mean;
  }
  const w = N(site, a.weights);
  if (w.shape.join(',') !== x.shape.join(',')) {
    if (w.rank !== 1 || axes === undefined || axes.length !== 1 || w.shape[0] !== x.shape[axes[0]]) {
      throw typeError('Axis must be specified when shapes of a and weights differ.');
    }
  }
  const wb = w.shape.join(',') === x.shape.join(',') ? w : npReshape(site, w, x.shape.map((d, i) => (i === axes![0] ? d : 1)));
  const numerator = reduce(site, 'sum', binaryOp(site, '*', x, wb), axes, keep, { opName: 'average' });
  const scale = reduce(site, 'sum', broadcastTo(site, wb, x.shape), axes, keep, { opName: 'average' });
  const avg = binaryOp(site, '/', numerator, scale);
  return truthy(a.returned) ? new PyTuple([avg, scale]) : avg;
});

fn('count_nonzero', ['a', 'axis=None', '*', 'keepdims=False'], (a, site) => {
  const x = N(site, a.a);
  const mask = binaryOp(site, '!=', x, x.dtype === 'bool' ? false : 0n, 'not_equal');
  return reduce(site, 'sum', mask, npAxes(a.axis, x.rank), boolArg(a.keepdims), { opName: 'count_nonzero' });
});

both('cumsum', ['axis=None', 'dtype=None', 'out=None'], (x, a, site) => {
  noOut(a, 'cumsum');
  const input = a.axis === null ? npReshape(site, x, [-1], 'ravel') : x;
  const axis = a.axis === null ? 0 : npAxis(a.axis, x.rank);
  const dtype = dtypeArg(a.dtype) ?? (input.dtype === 'bool' || (isIntDtype(input.dtype) && input.dtype !== 'int64') ? 'int64' : input.dtype);
  return cumsumValue(site, input, axis, dtype);
});

// ------------------------------------------------------------------ elementwise math

const UFUNC_TAIL = ['out=None', '*', 'where=True', "casting='same_kind'", "order='K'", 'dtype=None', 'subok=True'];

function finishUfunc(site: CallSite, result: TensorValue, a: Bound): TensorValue {
  const dtype = dtypeArg(a.dtype);
  return dtype && dtype !== result.dtype ? castTensor(site, result, dtype) : result;
}

function unary(name: string, f: (t: tf.Tensor) => tf.Tensor, result: UnaryResult = 'float', gradient: GradientMode = 'flow'): void {
  fn(name, ['x', ...UFUNC_TAIL], (a, site) => {
    noOut(a, name);
    return finishUfunc(site, unaryOp(site, name, N(site, a.x), FLAVOUR, f, result, gradient), a);
  });
}

const LN2 = Math.LN2;
const LN10 = Math.LN10;
const FLOAT_UNARY: Record<string, (t: tf.Tensor) => tf.Tensor> = {
  exp: tf.exp, expm1: tf.expm1, exp2: (t) => tf.exp(tf.mul(t, LN2)), log: tf.log, log1p: tf.log1p,
  log2: (t) => tf.div(tf.log(t), LN2), log10: (t) => tf.div(tf.log(t), LN10), sqrt: tf.sqrt,
  sin: tf.sin, cos: tf.cos, tan: tf.tan, tanh: tf.tanh, sinh: tf.sinh, cosh: tf.cosh,
  arctan: tf.atan, arcsin: tf.asin, arccos: tf.acos, arctanh: tf.atanh, reciprocal: tf.reciprocal,
};
for (const [name, f] of Object.entries(FLOAT_UNARY)) unary(name, f);
unary('square', (t) => tf.mul(t, t), 'same');
unary('abs', tf.abs, 'same');
npFunctions.set('absolute', npFunctions.get('abs')!);
npFunctions.set('fabs', npFunctions.get('abs')!);
unary('negative', tf.neg, 'same');
unary('positive', (t) => tf.clone(t), 'same');
// sign: a zero gradient (torch.sign in the golden shim; autograd and JAX agree)
unary('sign', tf.sign, 'same', 'zero');
// piecewise-constant rounding: no gradient path
unary('floor', tf.floor, 'same', 'cut');
unary('ceil', tf.ceil, 'same', 'cut');
unary('rint', tf.round, 'same', 'cut');
unary('trunc', (t) => tf.mul(tf.sign(t), tf.floor(tf.abs(t))), 'same', 'cut');
npFunctions.set('fix', npFunctions.get('trunc')!);
for (const [name, f] of [['isnan', tf.isNaN], ['isinf', tf.isInf], ['isfinite', tf.isFinite]] as const) unary(name, f, 'bool');
fn('isneginf', ['x', 'out=None'], (a, site) => unaryOp(site, 'isneginf', N(site, a.x), FLAVOUR, (t) => tf.equal(t, -Infinity), 'bool'));
fn('isposinf', ['x', 'out=None'], (a, site) => unaryOp(site, 'isposinf', N(site, a.x), FLAVOUR, (t) => tf.equal(t, Infinity), 'bool'));
fn('logical_not', ['x', ...UFUNC_TAIL], (a, site) => unaryOp(site, 'logical_not', castTensor(site, N(site, a.x), 'bool'), FLAVOUR, tf.logicalNot, 'bool'));

/** numpy round: half to even, optionally at `decimals` places; piecewise constant, so no gradient. */
function roundValue(site: CallSite, x: TensorValue, decimals: number): TensorValue {
  const scale = 10 ** decimals;
  const input = x.dtype === 'bool' ? castTensor(site, x, 'int64') : x;
  if (!isFloatDtype(input.dtype) && decimals >= 0) return input;
  return site.rt.apply(site, 'round', [input], ([t]) => (decimals === 0 ? tf.round(t) : tf.div(tf.round(tf.mul(t, scale)), scale)), { dtype: input.dtype, gradient: 'cut' });
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
  return site.rt.apply(site, 'nan_to_num', [x], ([t]) => {
    const plain = detach(t);
    const noNan = tf.where(tf.isNaN(plain), tf.fill(t.shape, nan), t);
    return tf.where(tf.equal(plain, Infinity), tf.fill(t.shape, posinf), tf.where(tf.equal(plain, -Infinity), tf.fill(t.shape, neginf), noNan));
  }, { dtype: x.dtype });
});

const BINARY_UFUNCS: Record<string, BinaryOperator> = {
  add: '+', subtract: '-', multiply: '*', divide: '/', true_divide: '/', floor_divide: '//', power: '**',
  mod: '%', remainder: '%', equal: '==', not_equal: '!=', greater: '>', greater_equal: '>=', less: '<', less_equal: '<=',
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
for (const [name, kind] of [['maximum', 'max'], ['minimum', 'min']] as const) {
  const f = extremumWithTies(kind, 'split');
  fn(name, ['x1', 'x2', ...UFUNC_TAIL], (a, site) => {
    noOut(a, name);
    const [x, y, dtype] = coerceOperands(site, ...operands(site, a.x1, a.x2), FLAVOUR);
    const shape = broadcastShape(x, y);
    site.rt.guard.checkTensorElements(shape, `the result of ${name}`);
    const broadcast = x.shape.join(',') !== shape.join(',') || y.shape.join(',') !== shape.join(',');
    return finishUfunc(site, site.rt.apply(site, name, [x, y], ([p, q]) => f(p, q), { dtype, broadcast, flavour: FLAVOUR }), a);
  });
}

function isNumberLike(v: PyValue): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}

function broadcastShape(x: TensorValue, y: TensorValue): number[] {
  const rank = Math.max(x.rank, y.rank);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const p = x.shape[x.rank - rank + i] ?? 1;
    const q = y.shape[y.rank - rank + i] ?? 1;
    if (p !== q && p !== 1 && q !== 1) throw valueError(`operands could not be broadcast together with shapes ${shapeText(x.shape)} ${shapeText(y.shape)}`);
    out.push(p === 1 ? q : p);
  }
  return out;
}

for (const [name, f] of [['logical_and', tf.logicalAnd], ['logical_or', tf.logicalOr], ['logical_xor', tf.logicalXor]] as const) {
  fn(name, ['x1', 'x2', ...UFUNC_TAIL], (a, site) => {
    const x = castTensor(site, N(site, a.x1), 'bool');
    const y = castTensor(site, N(site, a.x2), 'bool');
    const shape = broadcastShape(x, y);
    return site.rt.apply(site, name, [x, y], ([p, q]) => f(tf.broadcastTo(p, shape), tf.broadcastTo(q, shape)), { dtype: 'bool', gradient: 'cut', broadcast: x.shape.join(',') !== y.shape.join(',') });
  });
}

fn('logaddexp', ['x1', 'x2', ...UFUNC_TAIL], (a, site) => {
  const [x, y, dtype] = coerceOperands(site, N(site, a.x1), N(site, a.x2), FLAVOUR);
  const fx = isFloatDtype(dtype) ? x : castTensor(site, x, 'float64');
  const fy = isFloatDtype(dtype) ? y : castTensor(site, y, 'float64');
  return site.rt.apply(site, 'logaddexp', [fx, fy], ([p, q]) => {
    // m + log(e^(p-m) + e^(q-m)): stable, and the gradient of m cancels, so ties are exact
    const m = tf.maximum(p, q);
    return tf.add(m, tf.log(tf.add(tf.exp(tf.sub(p, m)), tf.exp(tf.sub(q, m)))));
  }, { dtype: fx.dtype, broadcast: x.shape.join(',') !== y.shape.join(',') });
});

function clipValue(site: CallSite, x: TensorValue, low: PyValue, high: PyValue): TensorValue {
  if (low === null && high === null) throw valueError('One of max or min must be given');
  const bound = (v: PyValue) => (v === null || isNumberLike(v) ? v : N(site, v));
  return clip(site, x, bound(low), bound(high), FLAVOUR);
}
fn('clip', ['a', 'a_min', 'a_max', 'out=None'], (a, site) => {
  noOut(a, 'clip');
  return clipValue(site, N(site, a.a), a.a_min, a.a_max);
}, { min: 'a_min', max: 'a_max' });
method('clip', ['min=None', 'max=None', 'out=None'], (x, a, site) => {
  noOut(a, 'clip');
  return clipValue(site, x, a.min, a.max);
});

fn('where', ['condition', 'x=None', 'y=None'], (a, site) => {
  if (a.x === null && a.y === null) throw unsupported('numpy.where(condition) with one argument (index arrays); use the three-argument form');
  if (a.x === null || a.y === null) throw valueError('either both or neither of x and y should be given');
  const operand = (v: PyValue) => (isNumberLike(v) ? v : N(site, v));
  return where(site, N(site, a.condition), operand(a.x), operand(a.y), FLAVOUR);
});

fn('isclose', ['a', 'b', 'rtol=1e-05', 'atol=1e-08', 'equal_nan=False'], (a, site) => closeMask(site, a));
fn('allclose', ['a', 'b', 'rtol=1e-05', 'atol=1e-08', 'equal_nan=False'], (a, site) => {
  const mask = closeMask(site, a);
  return Array.from(mask.tensor.dataSync()).every((v) => v !== 0);
});
fn('array_equal', ['a1', 'a2', 'equal_nan=False'], (a, site) => {
  const x = N(site, a.a1);
  const y = N(site, a.a2);
  if (x.shape.join(',') !== y.shape.join(',')) return false;
  const p = x.tensor.dataSync();
  const q = y.tensor.dataSync();
  const nanEqual = boolArg(a.equal_nan);
  return Array.from(p).every((v, i) => v === q[i] || (nanEqual && Number.isNaN(v) && Number.isNaN(q[i])));
});

function closeMask(site: CallSite, a: Bound): TensorValue {
  const [x, y] = coerceOperands(site, N(site, a.a), N(site, a.b), FLAVOUR);
  const rtol = floatArg(a.rtol);
  const atol = floatArg(a.atol);
  const equalNan = boolArg(a.equal_nan);
  return site.rt.apply(site, 'isclose', [x, y], ([p, q]) => {
    const fp = tf.cast(p, 'float32');
    const fq = tf.cast(q, 'float32');
    let close = tf.logicalOr(tf.equal(fp, fq), tf.lessEqual(tf.abs(tf.sub(fp, fq)), tf.add(atol, tf.mul(rtol, tf.abs(fq)))));
    if (equalNan) close = tf.logicalOr(close, tf.logicalAnd(tf.isNaN(fp), tf.isNaN(fq)));
    return close;
  }, { dtype: 'bool', gradient: 'cut' });
}

// ------------------------------------------------------------------ linear algebra

fn('dot', ['a', 'b', 'out=None'], (a, site) => {
  noOut(a, 'dot');
  return dotValue(site, N(site, a.a), N(site, a.b));
});
method('dot', ['b', 'out=None'], (x, a, site) => {
  noOut(a, 'dot');
  return dotValue(site, x, N(site, a.b));
});
fn('vdot', ['a', 'b'], (a, site) => dotValue(site, npReshape(site, N(site, a.a), [-1], 'ravel'), npReshape(site, N(site, a.b), [-1], 'ravel'), 'vdot'));
fn('inner', ['a', 'b'], (a, site) => {
  const x = N(site, a.a);
  const y = N(site, a.b);
  if (x.rank === 0 || y.rank === 0) return binaryOp(site, '*', x, y, 'inner');
  return dotValue(site, x, y.rank === 1 ? y : swapAxes(site, y, -1, -2), 'inner');
});
fn('outer', ['a', 'b', 'out=None'], (a, site) => {
  const x = npReshape(site, N(site, a.a), [-1, 1], 'ravel');
  const y = npReshape(site, N(site, a.b), [1, -1], 'ravel');
  return binaryOp(site, '*', x, y, 'outer');
});
fn('matmul', ['x1', 'x2', ...UFUNC_TAIL], (a, site) => {
  noOut(a, 'matmul');
  const x = N(site, a.x1);
  const y = N(site, a.x2);
  if (x.rank === 0 || y.rank === 0) throw valueError("matmul: Input operand does not have enough dimensions");
  return finishUfunc(site, binaryOp(site, '@', x, y), a);
});
fn('einsum', ['subscripts', '*operands', 'out=None', 'dtype=None', "order='K'", "casting='safe'", 'optimize=False'], (a, site) => {
  noOut(a, 'einsum');
  if (typeof a.subscripts !== 'string') throw unsupported('numpy.einsum with operand/sublist arguments');
  const operands = (a.operands as PyTuple).items.map((o) => N(site, o));
  return finishUfunc(site, einsum(site, a.subscripts, operands, FLAVOUR), a);
});

const linalg = new Map<string, PyValue>();
linalg.set('norm', def('norm', ['x', 'ord=None', 'axis=None', 'keepdims=False'], (a, site) => {
  const x = N(site, a.x);
  const keep = boolArg(a.keepdims);
  const axes = npAxes(a.axis, x.rank);
  const ord = a.ord;
  const absX = () => unaryOp(site, 'abs', x, FLAVOUR, tf.abs, 'same');
  const floatX = isFloatDtype(x.dtype) ? x : castTensor(site, x, 'float64');
  const frobenius = () => unaryOp(site, 'sqrt', reduce(site, 'sum', binaryOp(site, '*', floatX, floatX), axes, keep, { opName: 'norm' }), FLAVOUR, tf.sqrt);
  if (ord === null || ord === 'fro') {
    if (ord === 'fro' && (axes ? axes.length : x.rank) !== 2) throw valueError('Invalid norm order for vectors.');
    return frobenius();
  }
  const vector = axes ? axes.length === 1 : x.rank === 1;
  if (!vector) throw unsupported('numpy.linalg.norm matrix norms other than the Frobenius norm');
  const p = floatArg(ord);
  if (p === 2) return frobenius();
  if (p === Infinity) return extremum(site, 'max', absX(), axes, keep, 'norm');
  if (p === -Infinity) return extremum(site, 'min', absX(), axes, keep, 'norm');
  if (p === 1) return reduce(site, 'sum', absX(), axes, keep, { opName: 'norm', dtype: isFloatDtype(x.dtype) ? x.dtype : 'float64' });
  if (p === 0) return reduce(site, 'sum', castTensor(site, binaryOp(site, '!=', x, 0n), isFloatDtype(x.dtype) ? x.dtype : 'float64'), axes, keep, { opName: 'norm' });
  const powered = reduce(site, 'sum', binaryOp(site, '**', unaryOp(site, 'abs', floatX, FLAVOUR, tf.abs, 'same'), p), axes, keep, { opName: 'norm' });
  return binaryOp(site, '**', powered, 1 / p);
}));

// ------------------------------------------------------------------ creation

function creation(name: string, value: number): void {
  fn(name, ['shape', 'dtype=None', "order='C'", '*', 'like=None'], (a, site) => filled(site, shapeArg(a.shape), value, dtypeArg(a.dtype) ?? 'float64', FLAVOUR, name));
}
creation('zeros', 0);
creation('ones', 1);
creation('empty', 0);

function fillValueDtype(value: PyValue): LogicalDtype {
  if (isTensor(value)) return value.dtype;
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'int64';
  return 'float64';
}

fn('full', ['shape', 'fill_value', 'dtype=None', "order='C'", '*', 'like=None'], (a, site) => {
  const shape = shapeArg(a.shape);
  const dtype = dtypeArg(a.dtype) ?? fillValueDtype(a.fill_value);
  if (isTensor(a.fill_value) || a.fill_value instanceof PyList || a.fill_value instanceof PyTuple) {
    // a tensor fill value is broadcast (and keeps its gradient)
    site.rt.guard.checkTensorElements(shape, 'full');
    const v = N(site, a.fill_value);
    return broadcastTo(site, v.dtype === dtype ? v : castTensor(site, v, dtype), shape, 'full');
  }
  return filled(site, shape, floatArg(a.fill_value), dtype, FLAVOUR, 'full');
});

for (const [name, value] of [['zeros_like', 0], ['ones_like', 1], ['empty_like', 0]] as const) {
  fn(name, ['a', 'dtype=None', "order='K'", 'subok=True', 'shape=None'], (a, site) => {
    const x = N(site, a.a);
    const dtype = dtypeArg(a.dtype) ?? x.dtype;
    return a.shape === null ? zerosLike(site, x, value, dtype, name) : filled(site, shapeArg(a.shape), value, dtype, FLAVOUR, name);
  });
}
fn('full_like', ['a', 'fill_value', 'dtype=None', "order='K'", 'subok=True', 'shape=None'], (a, site) => {
  const x = N(site, a.a);
  const dtype = dtypeArg(a.dtype) ?? x.dtype;
  const shape = a.shape === null ? x.shape : shapeArg(a.shape);
  if (isTensor(a.fill_value)) {
    site.rt.guard.checkTensorElements(shape, 'full_like');
    const v = N(site, a.fill_value);
    return broadcastTo(site, v.dtype === dtype ? v : castTensor(site, v, dtype), shape, 'full_like');
  }
  return filled(site, shape, floatArg(a.fill_value), dtype, FLAVOUR, 'full_like');
});

/** A constant from JS numbers, with the size checked before anything is built. */
function constantFrom(site: CallSite, shape: number[], dtype: LogicalDtype, opName: string, build: (out: Float64Array) => void): TensorValue {
  site.rt.guard.checkTensorElements(shape, opName);
  const data = new Float64Array(shape.reduce((p, d) => p * d, 1));
  build(data);
  const storage = storageDtype(dtype);
  const values = storage === 'float32' ? Float32Array.from(data) : storage === 'int32' ? Int32Array.from(data) : Uint8Array.from(data, (v) => (v ? 1 : 0));
  return site.rt.constant(tf.tensor(values, shape, storage), undefined, dtype, FLAVOUR);
}

fn('arange', ['start', 'stop=None', 'step=None', 'dtype=None', '*', 'like=None'], (a, site) => {
  const [start, stop] = a.stop === null ? [0, floatArg(a.start)] : [floatArg(a.start), floatArg(a.stop)];
  const step = a.step === null ? 1 : floatArg(a.step);
  if (step === 0) throw new InterpreterError('python', 'ZeroDivisionError: division by zero', undefined, 'ZeroDivisionError');
  const anyFloat = [a.start, a.stop, a.step].some((v) => typeof v === 'number' || (isTensor(v) && isFloatDtype(v.dtype)));
  const dtype = dtypeArg(a.dtype) ?? (anyFloat ? 'float64' : 'int64');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  return constantFrom(site, [count], dtype, 'arange', (out) => {
    for (let i = 0; i < count; i++) out[i] = start + i * step;
  });
});

fn('linspace', ['start', 'stop', 'num=50', 'endpoint=True', 'retstep=False', 'dtype=None', 'axis=0'], (a, site) => {
  const num = intArg(a.num, 'num');
  if (num < 0) throw valueError(`Number of samples, ${num}, must be non-negative.`);
  if (intArg(a.axis) !== 0) throw unsupported('numpy.linspace(axis=...) other than 0');
  const start = floatArg(a.start);
  const stop = floatArg(a.stop);
  const div = boolArg(a.endpoint) ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : NaN;
  const dtype = dtypeArg(a.dtype) ?? 'float64';
  const result = constantFrom(site, [num], dtype, 'linspace', (out) => {
    for (let i = 0; i < num; i++) out[i] = div > 0 ? start + i * step : start;
    if (boolArg(a.endpoint) && num > 1) out[num - 1] = stop;
  });
  return boolArg(a.retstep) ? new PyTuple([result, step]) : result;
});

function eyeValue(site: CallSite, n: number, m: number, k: number, dtype: LogicalDtype, opName: string): TensorValue {
  if (n < 0 || m < 0) throw valueError('negative dimensions are not allowed');
  return constantFrom(site, [n, m], dtype, opName, (out) => {
    for (let i = 0; i < n; i++) {
      const j = i + k;
      if (j >= 0 && j < m) out[i * m + j] = 1;
    }
  });
}
fn('eye', ['N', 'M=None', 'k=0', 'dtype=None', "order='C'", '*', 'like=None'], (a, site) =>
  eyeValue(site, intArg(a.N, 'N'), a.M === null ? intArg(a.N, 'N') : intArg(a.M, 'M'), intArg(a.k, 'k'), dtypeArg(a.dtype) ?? 'float64', 'eye'));
fn('identity', ['n', 'dtype=None', '*', 'like=None'], (a, site) => eyeValue(site, intArg(a.n, 'n'), intArg(a.n, 'n'), 0, dtypeArg(a.dtype) ?? 'float64', 'identity'));

function arrayValue(site: CallSite, object: PyValue, dtype: LogicalDtype | undefined, copy: boolean, ndmin = 0): TensorValue {
  let x: TensorValue;
  if (isTensor(object)) {
    const source = N(site, object);
    x = dtype && dtype !== source.dtype ? castTensor(site, source, dtype, 'astype') : copy ? site.rt.apply(site, 'copy', [source], ([t]) => tf.clone(t), { dtype: source.dtype }) : source;
  } else {
    if (object === null || typeof object === 'string' || object instanceof PyDict) throw unsupported(`numpy.array of a ${typeName(object)}`);
    x = N(site, object, dtype);
  }
  if (ndmin > MAX_DIMS) throw valueError(`ndmin bigger than allowable number of dimensions NPY_MAXDIMS (=${MAX_DIMS})`);
  if (ndmin > x.rank) x = npReshape(site, x, [...Array(ndmin - x.rank).fill(1), ...x.shape], 'array');
  return x;
}
fn('array', ['object', 'dtype=None', '*', 'copy=True', "order='K'", 'subok=False', 'ndmin=0', 'like=None'], (a, site) => arrayValue(site, a.object, dtypeArg(a.dtype), boolArg(a.copy), intArg(a.ndmin)));
for (const name of ['asarray', 'asanyarray', 'ascontiguousarray', 'asfarray']) {
  fn(name, ['a', 'dtype=None', "order=None", '*', 'like=None'], (a, site) => arrayValue(site, a.a, dtypeArg(a.dtype) ?? (name === 'asfarray' && !(isTensor(a.a) && isFloatDtype(a.a.dtype)) ? 'float64' : undefined), false));
}
fn('copy', ['a', "order='K'", 'subok=False'], (a, site) => arrayValue(site, a.a, undefined, true));

// ------------------------------------------------------------------ shapes

fn('reshape', ['a', 'newshape=None', "order='C'", '*', 'shape=None', 'copy=None'], (a, site) => {
  if (a.order !== 'C' && a.order !== 'A') throw unsupported(`numpy.reshape(order=${String(a.order)})`);
  const target = a.newshape ?? a.shape;
  if (target === null) throw typeError("reshape() missing required argument: 'shape'");
  return npReshape(site, N(site, a.a), toShape(target));
});
method('reshape', ['*shape', "order='C'", 'copy=None'], (x, a, site) => {
  if (a.order !== 'C' && a.order !== 'A') throw unsupported(`ndarray.reshape(order=${String(a.order)})`);
  return npReshape(site, x, varShape(a.shape));
});
fn('ravel', ['a', "order='C'"], (a, site) => npReshape(site, N(site, a.a), [-1], 'ravel'));
method('ravel', ["order='C'"], (x, _a, site) => npReshape(site, x, [-1], 'ravel'));
method('flatten', ["order='C'"], (x, _a, site) => (x.rank === 1 ? site.rt.apply(site, 'flatten', [x], ([t]) => tf.clone(t), { dtype: x.dtype }) : npReshape(site, x, [-1], 'flatten')));

function npPermute(site: CallSite, x: TensorValue, axes: number[] | undefined): TensorValue {
  if (axes === undefined) return permute(site, x, undefined, 'transpose');
  if (axes.length !== x.rank) throw valueError("axes don't match array");
  const order = axes.map((ax) => {
    if (ax < -x.rank || ax >= x.rank) throw axisError(ax, x.rank);
    return ax < 0 ? ax + x.rank : ax;
  });
  if (new Set(order).size !== order.length) throw valueError('repeated axis in transpose');
  return permute(site, x, order, 'transpose');
}
fn('transpose', ['a', 'axes=None'], (a, site) => npPermute(site, N(site, a.a), a.axes === null ? undefined : toShape(a.axes)));
method('transpose', ['*axes'], (x, a, site) => {
  const items = (a.axes as PyTuple).items;
  if (!items.length || (items.length === 1 && items[0] === null)) return npPermute(site, x, undefined);
  return npPermute(site, x, varShape(a.axes));
});

fn('moveaxis', ['a', 'source', 'destination'], (a, site) => {
  const x = N(site, a.a);
  const source = npAxes(a.source, x.rank) ?? [];
  const destination = npAxes(a.destination, x.rank) ?? [];
  if (source.length !== destination.length) throw valueError('`source` and `destination` arguments must have the same number of elements');
  const order = x.shape.map((_, i) => i).filter((i) => !source.includes(i));
  [...destination.map((d, i) => [d, source[i]] as const)].sort((p, q) => p[0] - q[0]).forEach(([d, s]) => order.splice(d, 0, s));
  return permute(site, x, order, 'moveaxis');
});
fn('swapaxes', ['a', 'axis1', 'axis2'], (a, site) => {
  const x = N(site, a.a);
  return swapAxes(site, x, npAxis(a.axis1, x.rank), npAxis(a.axis2, x.rank), 'swapaxes');
});
method('swapaxes', ['axis1', 'axis2'], (x, a, site) => swapAxes(site, x, npAxis(a.axis1, x.rank), npAxis(a.axis2, x.rank), 'swapaxes'));

fn('expand_dims', ['a', 'axis'], (a, site) => {
  const x = N(site, a.a);
  const requested = toAxes(a.axis) ?? [];
  const rank = x.rank + requested.length;
  if (rank > MAX_DIMS) throw valueError(`maximum supported dimension for an ndarray is ${MAX_DIMS}, found ${rank}`);
  const axes = requested.map((ax) => {
    if (ax < -rank || ax >= rank) throw axisError(ax, rank);
    return ax < 0 ? ax + rank : ax;
  });
  if (new Set(axes).size !== axes.length) throw valueError('repeated axis');
  const rest = [...x.shape];
  const shape = Array.from({ length: rank }, (_, i) => (axes.includes(i) ? 1 : rest.shift()!));
  return reshape(site, x, shape, 'expand_dims');
});

both('squeeze', ['axis=None'], (x, a, site) => squeeze(site, x, npAxes(a.axis, x.rank), true));

function atLeast(site: CallSite, x: TensorValue, rank: number): TensorValue {
  if (x.rank >= rank) return x;
  if (rank === 1) return npReshape(site, x, [1], 'atleast_1d');
  if (rank === 2) return npReshape(site, x, x.rank === 0 ? [1, 1] : [1, ...x.shape], 'atleast_2d');
  return npReshape(site, x, x.rank === 0 ? [1, 1, 1] : x.rank === 1 ? [1, x.shape[0], 1] : [...x.shape, 1], 'atleast_3d');
}
for (const [name, rank] of [['atleast_1d', 1], ['atleast_2d', 2], ['atleast_3d', 3]] as const) {
  fn(name, ['*arys'], (a, site) => {
    const items = (a.arys as PyTuple).items.map((v) => atLeast(site, N(site, v), rank));
    return items.length === 1 ? items[0] : new PyList(items);
  });
}

function arrayList(site: CallSite, value: PyValue, what: string): TensorValue[] {
  if (isTensor(value)) {
    // iterating an array yields its rows
    if (value.rank === 0) throw valueError(`zero-dimensional arrays cannot be ${what}`);
    return Array.from({ length: value.shape[0] }, (_, i) => site.rt.apply(site, 'getitem', [value], ([t]) => tf.squeeze(tf.slice(t, value.shape.map((_, k) => (k === 0 ? i : 0)), value.shape.map((d, k) => (k === 0 ? 1 : d))), [0]), { dtype: value.dtype, flavour: FLAVOUR }));
  }
  if (!(value instanceof PyList || value instanceof PyTuple)) throw typeError(`expected a sequence of arrays, got ${typeName(value)}`);
  return value.items.map((v) => N(site, v));
}

function npConcat(site: CallSite, items: TensorValue[], axis: number | null, opName: string, dtype?: LogicalDtype): TensorValue {
  if (!items.length) throw valueError('need at least one array to concatenate');
  let arrays = items;
  if (axis === null) arrays = items.map((t) => npReshape(site, t, [-1], 'ravel'));
  const rank = arrays[0].rank;
  if (rank === 0) throw valueError('zero-dimensional arrays cannot be concatenated');
  const ax = axis === null ? 0 : axis;
  if (ax < -rank || ax >= rank) throw axisError(ax, rank);
  const a = ax < 0 ? ax + rank : ax;
  arrays.forEach((t, i) => {
    if (t.rank !== rank) {
      throw valueError(`all the input arrays must have same number of dimensions, but the array at index 0 has ${rank} dimension(s) and the array at index ${i} has ${t.rank} dimension(s)`);
    }
    t.shape.forEach((d, k) => {
      if (k !== a && d !== arrays[0].shape[k]) {
        throw valueError(`all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${k}, the array at index 0 has size ${arrays[0].shape[k]} and the array at index ${i} has size ${d}`);
      }
    });
  });
  const common = dtype ?? arrays.map((t) => t.dtype).reduce((p, q) => promoteTypes(p, q, FLAVOUR));
  site.rt.guard.checkTensorElements(arrays[0].shape.map((d, k) => (k === a ? arrays.reduce((n, t) => n + t.shape[a], 0) : d)), opName);
  return concat(site, arrays.map((t) => (t.dtype === common ? t : castTensor(site, t, common))), a, opName);
}

fn('concatenate', ['arrays', 'axis=0', 'out=None', '*', 'dtype=None', "casting='same_kind'"], (a, site) => {
  noOut(a, 'concatenate');
  return npConcat(site, arrayList(site, a.arrays, 'concatenated'), a.axis === null ? null : intArg(a.axis, 'axis'), 'concatenate', dtypeArg(a.dtype));
});
npFunctions.set('concat', npFunctions.get('concatenate')!);

fn('stack', ['arrays', 'axis=0', 'out=None', '*', 'dtype=None', "casting='same_kind'"], (a, site) => {
  noOut(a, 'stack');
  const items = arrayList(site, a.arrays, 'stacked');
  if (!items.length) throw valueError('need at least one array to stack');
  if (items.some((t) => t.shape.join(',') !== items[0].shape.join(','))) throw valueError('all input arrays must have the same shape');
  const rank = items[0].rank + 1;
  const axis = intArg(a.axis, 'axis');
  if (axis < -rank || axis >= rank) throw axisError(axis, rank);
  const dtype = dtypeArg(a.dtype) ?? items.map((t) => t.dtype).reduce((p, q) => promoteTypes(p, q, FLAVOUR));
  site.rt.guard.checkTensorElements([items.length, ...items[0].shape], 'stack');
  return stack(site, items.map((t) => (t.dtype === dtype ? t : castTensor(site, t, dtype))), axis < 0 ? axis + rank : axis);
});
fn('vstack', ['tup', '*', 'dtype=None', "casting='same_kind'"], (a, site) =>
  npConcat(site, arrayList(site, a.tup, 'stacked').map((t) => atLeast(site, t, 2)), 0, 'vstack', dtypeArg(a.dtype)));
npFunctions.set('row_stack', npFunctions.get('vstack')!);
fn('hstack', ['tup', '*', 'dtype=None', "casting='same_kind'"], (a, site) => {
  const items = arrayList(site, a.tup, 'stacked').map((t) => atLeast(site, t, 1));
  return npConcat(site, items, items.length && items[0].rank === 1 ? 0 : 1, 'hstack', dtypeArg(a.dtype));
});
fn('dstack', ['tup'], (a, site) => npConcat(site, arrayList(site, a.tup, 'stacked').map((t) => atLeast(site, t, 3)), 2, 'dstack'));
fn('column_stack', ['tup'], (a, site) => npConcat(site, arrayList(site, a.tup, 'stacked').map((t) => (t.rank < 2 ? npReshape(site, t, [-1, 1], 'column_stack') : t)), 1, 'column_stack'));

fn('tile', ['A', 'reps'], (a, site) => {
  const reps = toShape(a.reps);
  if (reps.some((r) => r < 0)) throw valueError('negative dimensions are not allowed');
  return tile(site, N(site, a.A), reps);
});

function repeatArgs(site: CallSite, x: TensorValue, repeats: PyValue, axisValue: PyValue): TensorValue {
  const source = axisValue === null ? npReshape(site, x, [-1], 'ravel') : x;
  const axis = axisValue === null ? 0 : npAxis(axisValue, x.rank);
  const counts = isTensor(repeats) ? Array.from(repeats.tensor.dataSync(), Number) : toShape(repeats);
  return repeatValue(site, source, counts, axis);
}
both('repeat', ['repeats', 'axis=None'], (x, a, site) => repeatArgs(site, x, a.repeats, a.axis));

fn('broadcast_to', ['array', 'shape', 'subok=False'], (a, site) => {
  const x = N(site, a.array);
  const shape = shapeArg(a.shape);
  const ok = x.rank <= shape.length && x.shape.every((d, i) => d === 1 || d === shape[shape.length - x.rank + i]);
  if (!ok) throw valueError(`operands could not be broadcast together with remapped shapes [original->remapped]: ${shapeText(x.shape)} and requested shape ${shapeText(shape)}`);
  return broadcastTo(site, x, shape);
});

both('sort', ['axis=-1', 'kind=None', 'order=None'], (x, a, site) => {
  if (a.axis === null) return sortValue(site, npReshape(site, x, [-1], 'ravel'), 0);
  if (x.rank === 0) throw axisError(intArg(a.axis), 0);
  return sortValue(site, x, npAxis(a.axis, x.rank));
});
// ndarray.sort sorts in place and returns None
arrayMethods.sort = tensorMethod((x, args, site) => {
  const a = bindArgs('sort', args, ['axis=-1', 'kind=None', 'order=None']);
  x.assignFrom(sortValue(site, x, npAxis(a.axis, x.rank)));
  return null;
});
both('argsort', ['axis=-1', 'kind=None', 'order=None'], (x, a, site) => {
  if (a.axis === null) return argsortValue(site, npReshape(site, x, [-1], 'ravel'), 0, 'int64');
  return argsortValue(site, x, npAxis(a.axis, x.rank), 'int64');
});

// ------------------------------------------------------------------ sets and counting

fn('unique', ['ar', 'return_index=False', 'return_inverse=False', 'return_counts=False', 'axis=None', '*', 'equal_nan=True'], (a, site) => {
  if (a.axis !== null) throw unsupported('numpy.unique(axis=...)');
  const x = N(site, a.ar);
  const data = Array.from(x.tensor.dataSync() as ArrayLike<number>, Number);
  const values: number[] = [];
  const firstIndex: number[] = [];
  const counts: number[] = [];
  const order = data.map((_, i) => i).sort((i, j) => {
    const p = data[i];
    const q = data[j];
    if (Number.isNaN(p)) return Number.isNaN(q) ? i - j : 1;
    if (Number.isNaN(q)) return -1;
    return p < q ? -1 : p > q ? 1 : i - j;
  });
  const inverse = new Array<number>(data.length);
  for (const i of order) {
    const v = data[i];
    const last = values.length - 1;
    if (last >= 0 && (values[last] === v || (Number.isNaN(v) && Number.isNaN(values[last]) && boolArg(a.equal_nan)))) {
      counts[last]++;
    } else {
      values.push(v);
      firstIndex.push(i);
      counts.push(1);
    }
    inverse[i] = values.length - 1;
  }
  const out = site.rt.apply(site, 'unique', [x], () => tf.tensor(values, [values.length], storageDtype(x.dtype)), { dtype: x.dtype, gradient: 'cut' });
  const extras: PyValue[] = [];
  const ints = (name: string, list: number[], shape: number[]) => site.rt.apply(site, name, [x], () => tf.tensor(Int32Array.from(list), shape, 'int32'), { dtype: 'int64', gradient: 'cut' });
  if (truthy(a.return_index)) extras.push(ints('unique_index', firstIndex, [firstIndex.length]));
  if (truthy(a.return_inverse)) extras.push(ints('unique_inverse', inverse, [inverse.length]));
  if (truthy(a.return_counts)) extras.push(ints('unique_counts', counts, [counts.length]));
  return extras.length ? new PyTuple([out, ...extras]) : out;
});

fn('bincount', ['x', 'weights=None', 'minlength=0'], (a, site) => {
  const x = N(site, a.x);
  if (x.rank !== 1) throw valueError('object too deep for desired array');
  if (!isIntDtype(x.dtype) && x.dtype !== 'bool') throw typeError(`Cannot cast array data from dtype('${x.dtype}') to dtype('int64') according to the rule 'safe'`);
  const data = Array.from(x.tensor.dataSync() as ArrayLike<number>, Number);
  if (data.some((v) => v < 0)) throw valueError("'list' argument must have no negative elements");
  const minlength = intArg(a.minlength, 'minlength');
  if (minlength < 0) throw valueError("'minlength' must not be negative");
  const length = Math.max(minlength, data.length ? Math.max(...data) + 1 : 0);
  if (a.weights === null) {
    site.rt.guard.checkTensorElements([length], 'bincount');
    const counts = new Int32Array(length);
    for (const v of data) counts[v]++;
    return site.rt.apply(site, 'bincount', [x], () => tf.tensor(counts, [length], 'int32'), { dtype: 'int64', gradient: 'cut' });
  }
  let w = N(site, a.weights);
  if (w.shape.join(',') !== x.shape.join(',')) throw valueError('The weights and list don\'t have the same length.');
  if (w.dtype !== 'float64') w = castTensor(site, w, 'float64');
  site.rt.guard.checkTensorElements([data.length, length], 'bincount');
  return site.rt.apply(site, 'bincount', [w], ([wt]) => {
    // (tf.oneHot's own dtype argument reinterprets the int bits as floats on the cpu backend)
    const hot = tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(data), 'int32'), length), 'float32');
    return tf.sum(tf.mul(hot, tf.reshape(wt, [-1, 1])), 0);
  }, { dtype: 'float64' });
});

// ------------------------------------------------------------------ array metadata

fn('shape', ['a'], (a, site) => new PyTuple(N(site, a.a).shape.map((d) => BigInt(d))));
fn('ndim', ['a'], (a, site) => BigInt(N(site, a.a).rank));
fn('size', ['a', 'axis=None'], (a, site) => {
  const x = N(site, a.a);
  return BigInt(a.axis === null ? x.size : x.shape[npAxis(a.axis, x.rank)]);
});
fn('isscalar', ['element'], (a) => isNumberLike(a.element) || (isTensor(a.element) && a.element.rank === 0));

// ------------------------------------------------------------------ dtypes

const NUMPY_DTYPES: Record<string, LogicalDtype> = {
  float16: 'float16', half: 'float16', float32: 'float32', single: 'float32', float64: 'float64', double: 'float64', float_: 'float64', longdouble: 'float64',
  int8: 'int8', int16: 'int16', short: 'int16', int32: 'int32', intc: 'int32', int64: 'int64', int_: 'int64', intp: 'int64', longlong: 'int64',
  uint8: 'uint8', ubyte: 'uint8', bool_: 'bool', bool: 'bool',
  // removed in numpy 1.24 (aliases of the Python builtins), still common in older loss code
  float: 'float64', int: 'int64',
};
const DTYPE_KIND: Record<LogicalDtype, [string, number]> = {
  float16: ['f', 2], float32: ['f', 4], float64: ['f', 8], int8: ['i', 1], int16: ['i', 2], int32: ['i', 4], int64: ['i', 8], uint8: ['u', 1], bool: ['b', 1],
};
const numpyDtypeObjects = new Set<PyInstance>();
for (const [name, value] of dtypeEntries(FLAVOUR, NUMPY_DTYPES)) {
  npFunctions.set(name, value);
  const object = value as PyInstance;
  const dtype = object.native as LogicalDtype;
  numpyDtypeObjects.add(object);
  object.attrs.set('kind', DTYPE_KIND[dtype][0]);
  object.attrs.set('itemsize', BigInt(DTYPE_KIND[dtype][1]));
  object.attrs.set('type', object);
  object.attrs.set('char', { float16: 'e', float32: 'f', float64: 'd', int8: 'b', int16: 'h', int32: 'i', int64: 'l', uint8: 'B', bool: '?' }[dtype]);
}

/** np.float32(x): numpy scalar types convert their argument (an astype for arrays). */
const DTYPE_CALL = new BuiltinFunction('dtype.__call__', (args, site) => {
  const self = args.positional[0] as PyInstance;
  if (!numpyDtypeObjects.has(self)) throw typeError("'dtype' object is not callable");
  const dtype = self.native as LogicalDtype;
  const value = args.positional.length > 1 ? args.positional[1] : dtype === 'bool' ? false : 0n;
  if (typeof value === 'string') return N(site, toFloat(value), dtype);
  return arrayValue(site, value, dtype, false);
});
{
  // The dtype class is shared by every framework table; only numpy's dtype objects are callable.
  const dtypeClass = dtypeObject(FLAVOUR, 'float32').cls;
  if (!dtypeClass.attrs.has('__call__')) dtypeClass.attrs.set('__call__', DTYPE_CALL);
}

fn('dtype', ['dtype', 'align=False', 'copy=False'], (a) => {
  const parsed = isTensor(a.dtype) ? a.dtype.dtype : dtypeArg(a.dtype);
  if (!parsed) throw typeError('Cannot interpret None as a data type');
  return dtypeObject(FLAVOUR, parsed);
});
fn('result_type', ['*arrays_and_dtypes'], (a, site) => {
  const dtypes = (a.arrays_and_dtypes as PyTuple).items.map((v) => (isTensor(v) ? v.dtype : isNumberLike(v) ? N(site, v).dtype : dtypeArg(v)!));
  return dtypeObject(FLAVOUR, dtypes.reduce((p, q) => promoteTypes(p, q, FLAVOUR)));
});

/** Abstract scalar classes for isinstance()/issubdtype(): 0-d arrays stand for numpy scalars. */
const GENERIC = new PyClass('generic', [OBJECT_CLASS], new Map(), undefined, 'numpy.generic');
const NUMBER = new PyClass('number', [GENERIC], new Map(), undefined, 'numpy.number');
const INTEGER = new PyClass('integer', [NUMBER], new Map(), undefined, 'numpy.integer');
const SIGNED = new PyClass('signedinteger', [INTEGER], new Map(), undefined, 'numpy.signedinteger');
const UNSIGNED = new PyClass('unsignedinteger', [INTEGER], new Map(), undefined, 'numpy.unsignedinteger');
const INEXACT = new PyClass('inexact', [NUMBER], new Map(), undefined, 'numpy.inexact');
const FLOATING = new PyClass('floating', [INEXACT], new Map(), undefined, 'numpy.floating');
const ABSTRACT: [PyClass, (d: LogicalDtype) => boolean][] = [
  [GENERIC, () => true], [NUMBER, (d) => d !== 'bool'], [INTEGER, isIntDtype], [SIGNED, (d) => isIntDtype(d) && d !== 'uint8'],
  [UNSIGNED, (d) => d === 'uint8'], [INEXACT, isFloatDtype], [FLOATING, isFloatDtype],
];
for (const [cls, test] of ABSTRACT) {
  npFunctions.set(cls.name, cls);
  TYPE_CLASSES.set(cls, (v) => isTensor(v) && v.flavour === FLAVOUR && v.rank === 0 && test(v.dtype));
}
fn('issubdtype', ['arg1', 'arg2'], (a) => {
  const d1 = isTensor(a.arg1) ? a.arg1.dtype : dtypeArg(a.arg1)!;
  const abstract = ABSTRACT.find(([cls]) => cls === a.arg2);
  if (abstract) return abstract[1](d1);
  return d1 === dtypeArg(a.arg2);
});

const FINFO: Partial<Record<LogicalDtype, Record<string, number>>> = {
  float16: { eps: 0.0009765625, tiny: 6.103515625e-5, max: 65504, min: -65504, resolution: 0.001, bits: 16 },
  float32: { eps: 1.1920928955078125e-7, tiny: 1.1754943508222875e-38, max: 3.4028234663852886e38, min: -3.4028234663852886e38, resolution: 1e-6, bits: 32 },
  float64: { eps: 2.220446049250313e-16, tiny: 2.2250738585072014e-308, max: Number.MAX_VALUE, min: -Number.MAX_VALUE, resolution: 1e-15, bits: 64 },
};
const FINFO_CLASS = new PyClass('finfo', [OBJECT_CLASS], new Map(), undefined, 'numpy.finfo');
const IINFO_CLASS = new PyClass('iinfo', [OBJECT_CLASS], new Map(), undefined, 'numpy.iinfo');
const INT_RANGES: Partial<Record<LogicalDtype, [bigint, bigint, number]>> = {
  int8: [-128n, 127n, 8], int16: [-32768n, 32767n, 16], int32: [-2147483648n, 2147483647n, 32], int64: [-9223372036854775808n, 9223372036854775807n, 64], uint8: [0n, 255n, 8],
};
fn('finfo', ['dtype'], (a) => {
  const dtype = isTensor(a.dtype) ? a.dtype.dtype : typeof a.dtype === 'number' ? 'float64' : dtypeArg(a.dtype);
  const info = dtype && FINFO[dtype];
  if (!info) throw valueError(`data type ${dtype ?? 'None'} not inexact`);
  const object = new PyInstance(FINFO_CLASS);
  for (const [k, v] of Object.entries(info)) object.attrs.set(k, k === 'bits' ? BigInt(v) : v);
  object.attrs.set('dtype', dtypeObject(FLAVOUR, dtype!));
  return object;
});
fn('iinfo', ['int_type'], (a) => {
  const dtype = isTensor(a.int_type) ? a.int_type.dtype : typeof a.int_type === 'bigint' ? 'int64' : dtypeArg(a.int_type);
  const range = dtype && INT_RANGES[dtype];
  if (!range) throw valueError(`Invalid integer data type '${dtype ?? 'None'}'.`);
  const object = new PyInstance(IINFO_CLASS);
  object.attrs.set('min', range[0]);
  object.attrs.set('max', range[1]);
  object.attrs.set('bits', BigInt(range[2]));
  object.attrs.set('dtype', dtypeObject(FLAVOUR, dtype!));
  return object;
});

/** `with np.errstate(divide='ignore'):` — numpy's floating-point warnings never stop evaluation here. */
const ERRSTATE = new PyClass('errstate', [OBJECT_CLASS], new Map<string, PyValue>([
  ['__init__', def('errstate.__init__', ['self', '*', 'call=None', 'all=None', 'divide=None', 'over=None', 'under=None', 'invalid=None'], () => null)],
  ['__enter__', def('__enter__', ['self'], () => null)],
  ['__exit__', def('__exit__', ['self', '*args'], () => false)],
]), undefined, 'numpy.errstate');
npFunctions.set('errstate', ERRSTATE);
const errSettings = () => {
  const d = new PyDict();
  for (const k of ['divide', 'over', 'under', 'invalid']) d.set(k, 'warn');
  return d;
};
fn('seterr', ['all=None', 'divide=None', 'over=None', 'under=None', 'invalid=None'], () => errSettings());
fn('geterr', [], () => errSettings());

// ------------------------------------------------------------------ ndarray

const NDARRAY_CLASS = new PyClass('ndarray', [OBJECT_CLASS], new Map<string, PyValue>([
  ['__new__', new BuiltinFunction('numpy.ndarray', (args, site) => {
    const a = bindArgs('ndarray', { positional: args.positional.slice(1), keywords: args.keywords }, ['shape', 'dtype=None', 'buffer=None', 'offset=0', 'strides=None', "order=None"]);
    if (a.buffer !== null) throw unsupported('numpy.ndarray(buffer=...)');
    return filled(site, shapeArg(a.shape), 0, dtypeArg(a.dtype) ?? 'float64', FLAVOUR, 'ndarray');
  })],
]), undefined, 'numpy.ndarray');
TYPE_CLASSES.set(NDARRAY_CLASS, (v) => isTensor(v) && v.flavour === FLAVOUR);

method('astype', ['dtype', "order='K'", "casting='unsafe'", 'subok=True', 'copy=True'], (x, a, site) => {
  const dtype = dtypeArg(a.dtype);
  if (!dtype) throw typeError('Cannot interpret None as a data type');
  return castTensor(site, x, dtype, 'astype');
});
method('copy', ["order='C'"], (x, _a, site) => site.rt.apply(site, 'copy', [x], ([t]) => tf.clone(t), { dtype: x.dtype }));
method('item', ['*args'], (x, a) => {
  const args = (a.args as PyTuple).items;
  const data = x.tensor.dataSync() as ArrayLike<number>;
  if (!args.length) {
    if (x.size !== 1) throw valueError('can only convert an array of size 1 to a Python scalar');
    return pyScalar(x.dtype, tensorScalar(x, 'item()'));
  }
  let offset: number;
  const indices = args.length === 1 && args[0] instanceof PyTuple ? toShape(args[0]) : args.map((v) => intArg(v, 'index'));
  if (indices.length === 1) {
    const i = indices[0] < 0 ? indices[0] + x.size : indices[0];
    if (i < 0 || i >= x.size) throw new InterpreterError('python', `IndexError: index ${indices[0]} is out of bounds for size ${x.size}`, undefined, 'IndexError');
    offset = i;
  } else {
    if (indices.length !== x.rank) throw valueError('incorrect number of indices for array');
    offset = 0;
    indices.forEach((idx, k) => {
      const i = idx < 0 ? idx + x.shape[k] : idx;
      if (i < 0 || i >= x.shape[k]) throw new InterpreterError('python', `IndexError: index ${idx} is out of bounds for axis ${k} with size ${x.shape[k]}`, undefined, 'IndexError');
      offset = offset * x.shape[k] + i;
    });
  }
  return pyScalar(x.dtype, Number(data[offset]));
});
method('tolist', [], (x) => {
  const data = Array.from(x.tensor.dataSync() as ArrayLike<number>, Number);
  const build = (offset: number, dims: number[]): PyValue => {
    if (!dims.length) return pyScalar(x.dtype, data[offset]);
    const stride = dims.slice(1).reduce((p, d) => p * d, 1);
    return new PyList(Array.from({ length: dims[0] }, (_, i) => build(offset + i * stride, dims.slice(1))));
  };
  return build(0, x.shape);
});
method('fill', ['value'], (x, a, site) => {
  x.assignFrom(filled(site, x.shape, floatArg(a.value), x.dtype, FLAVOUR, 'fill'));
  return null;
});
method('nonzero', [], () => {
  throw unsupported('ndarray.nonzero() (index arrays)');
});

const arrayProperties: Record<string, TensorAttribute> = {
  shape: tensorProperty((x) => new PyTuple(x.shape.map((d) => BigInt(d)))),
  ndim: tensorProperty((x) => BigInt(x.rank)),
  size: tensorProperty((x) => BigInt(x.size)),
  dtype: tensorProperty((x) => dtypeObject(FLAVOUR, x.dtype)),
  itemsize: tensorProperty((x) => BigInt(DTYPE_KIND[x.dtype][1])),
  nbytes: tensorProperty((x) => BigInt(DTYPE_KIND[x.dtype][1] * x.size)),
  T: tensorProperty((x, site) => permute(site, x, undefined, 'T')),
  real: tensorProperty((x) => x),
};

// ------------------------------------------------------------------ registration

registerTensorAttributes(FLAVOUR, { ...arrayMethods, ...arrayProperties });

const CONSTANTS: [string, PyValue][] = [
  ['pi', Math.PI], ['e', Math.E], ['euler_gamma', 0.5772156649015329], ['inf', Infinity], ['Inf', Infinity], ['Infinity', Infinity], ['PINF', Infinity],
  ['NINF', -Infinity], ['nan', NaN], ['NaN', NaN], ['NAN', NaN], ['newaxis', null], ['__version__', '1.26.4'],
];

registerModule('numpy', () => new Map<string, PyValue>([...npFunctions, ...CONSTANTS, ['ndarray', NDARRAY_CLASS]]));
registerModule('numpy.linalg', () => linalg);
