// Theano 1.0 (`import theano.tensor as T`, `from theano import tensor as T`, `import theano`):
// theano.tensor, theano.tensor.nnet, theano.tensor.extra_ops and the tensor-variable methods,
// evaluated numerically. Semantics kept from Theano: axis=None/keepdims reductions, T.flatten(x,
// ndim) keeping the first ndim-1 axes, dimshuffle with 'x' for new broadcastable axes, 2-D-only
// row-wise softmax, categorical_crossentropy(coding_dist, true_dist) with the prediction first,
// T.round rounding half away from zero, ties of T.maximum/T.minimum sending the gradient to both
// inputs. Theano defines the gradient of Argmax, comparisons, integer casts, Round, Floor, Ceil
// and Sgn as zeros (their grad() returns x.zeros_like()), so here they are 'zero', not 'cut':
// theano.grad through them gives an all-zero gradient, never an error.
import * as tf from '@tensorflow/tfjs';
import { registerTensorAttributes, tensorMethod, tensorProperty, type TensorAttribute } from '../attributes';
import { OBJECT_CLASS, TYPE_CLASSES } from '../builtins';
import type { CallSite } from '../callsite';
import { indexError, typeError, unsupported, valueError } from '../errors';
import { argsortValue, cumsumValue, dotValue, extremumWithTies, repeatValue, sortValue } from '../ops/arraylib';
import { asTensor, castTensor, promoteTypes } from '../ops/coercion';
import { binaryOp, clip, coerceOperands, unaryOp, where, type UnaryResult } from '../ops/elementwise';
import { indexTensor } from '../ops/indexing';
import { logSoftmax, softmax } from '../ops/nn';
import { normaliseAxis, reduce, type ReduceKind } from '../ops/reduce';
import { concat, filled, permute, reshape, squeeze, stack, swapAxes, zerosLike } from '../ops/shape';
import { isTensor, toAxes, toShape } from '../protocols';
import { type LogicalDtype, TensorValue, isFloatDtype, isIntDtype } from '../tensor';
import type { GradientMode } from '../trace';
import { PyClass, PyInstance, PyList, PyTuple, type PyValue, typeName } from '../values';
import { detach } from '../runtime';
import { bindArgs } from '../signature';
import { type Bound, boolArg, def, floatArg, intArg, parseDtype } from './common';
import { registerModule } from './registry';

const FLAVOUR = 'theano';
const FLOATX: LogicalDtype = 'float32';
/** Theano arrays are numpy arrays: at most 32 dimensions. */
const MAX_DIMS = 32;

/** A Theano variable from any tensor-like (numpy arrays and other tensors are viewed as variables). */
function TT(site: CallSite, value: PyValue, dtype?: LogicalDtype): TensorValue {
  if (isTensor(value) && value.flavour !== FLAVOUR) {
    value = new TensorValue(value.tensor, value.dtype, FLAVOUR, value.origin, value.requiresGrad, value.producer);
  }
  return asTensor(site, value, FLAVOUR, dtype);
}

const THEANO_DTYPES = new Set(['int8', 'uint8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64', 'bool']);

/** Theano dtype strings ('float32', 'int64', 'floatX') and dtype objects. */
function dtypeArg(value: PyValue): LogicalDtype | undefined {
  if (value === 'floatX') return FLOATX;
  if (typeof value === 'string' && THEANO_DTYPES.has(value)) return value as LogicalDtype;
  return parseDtype(value, FLAVOUR);
}

const tensorFunctions = new Map<string, PyValue>();
const nnetFunctions = new Map<string, PyValue>();
const extraOps = new Map<string, PyValue>();
const variableMethods: Record<string, TensorAttribute> = {};

function fn(name: string, spec: readonly string[], impl: (a: Bound, site: CallSite) => PyValue, aliases?: Record<string, string>): void {
  tensorFunctions.set(name, def(name, spec, impl, aliases));
}

function method(name: string, spec: readonly string[], impl: (self: TensorValue, a: Bound, site: CallSite) => PyValue): void {
  variableMethods[name] = tensorMethod((self, args, site) => impl(self, bindArgs(name, args, spec), site));
}

/** Theano's grad of a piecewise-constant or discrete op: zeros, the path stays connected. */
const ZERO: GradientMode = 'zero';

// ------------------------------------------------------------------ reductions

function reduction(kind: ReduceKind, x: TensorValue, a: Bound, site: CallSite, name: string): TensorValue {
  const axes = toAxes(a.axis);
  const keep = boolArg(a.keepdims);
  let dtype = a.dtype !== undefined && a.dtype !== null ? dtypeArg(a.dtype) : undefined;
  // Theano's mean (and var/std) of an integer tensor is float64
  if (!dtype && (kind === 'mean' || kind === 'var' || kind === 'std') && !isFloatDtype(x.dtype)) dtype = 'float64';
  if ((kind === 'max' || kind === 'min') && x.size === 0) throw valueError(`zero-size array to reduction operation ${kind === 'max' ? 'maximum' : 'minimum'} which has no identity`);
  return reduce(site, kind, x, axes, keep, { opName: name, dtype, correction: a.ddof === undefined ? undefined : floatArg(a.ddof) });
}

const REDUCTIONS: [string, ReduceKind, readonly string[]][] = [
  ['sum', 'sum', ['axis=None', 'dtype=None', 'keepdims=False', 'acc_dtype=None']],
  ['prod', 'prod', ['axis=None', 'dtype=None', 'keepdims=False', 'acc_dtype=None', 'no_zeros_in_input=False']],
  ['mean', 'mean', ['axis=None', 'dtype=None', 'keepdims=False', 'acc_dtype=None']],
  ['max', 'max', ['axis=None', 'keepdims=False']],
  ['min', 'min', ['axis=None', 'keepdims=False']],
  ['any', 'any', ['axis=None', 'keepdims=False']],
  ['all', 'all', ['axis=None', 'keepdims=False']],
  ['var', 'var', ['axis=None', 'ddof=0', 'keepdims=False', 'corrected=False']],
  ['std', 'std', ['axis=None', 'ddof=0', 'keepdims=False', 'corrected=False']],
];
for (const [name, kind, spec] of REDUCTIONS) {
  const first = ['max', 'min', 'any', 'all'].includes(name) ? 'x' : 'input';
  const fnSpec = name === 'mean' ? ['input', 'axis=None', 'dtype=None', 'op=False', 'keepdims=False', 'acc_dtype=None'] : [first, ...spec];
  fn(name, fnSpec, (a, site) => reduction(kind, TT(site, a[first]), a, site, name));
  method(name, spec, (x, a, site) => reduction(kind, x, a, site, name));
}

/** argmax/argmin: int64 indices, Theano's zero gradient. axis=None indexes the flattened tensor. */
function argExtremum(site: CallSite, kind: 'argmax' | 'argmin', x: TensorValue, axisValue: PyValue, keepdims: boolean): TensorValue {
  const axes = toAxes(axisValue);
  if (axes && axes.length > 1) throw unsupported(`theano.tensor.${kind} over several axes`);
  const dim = axes === undefined ? undefined : normaliseAxis(axes[0], x.rank);
  if (x.size === 0) throw valueError(`attempt to get ${kind} of an empty sequence`);
  const input = x.dtype === 'bool' ? castTensor(site, x, 'int32') : x;
  return site.rt.apply(site, kind, [input], ([t]) => {
    const flat = dim === undefined ? tf.reshape(t, [-1]) : t;
    let out = kind === 'argmax' ? tf.argMax(flat, dim ?? 0) : tf.argMin(flat, dim ?? 0);
    if (keepdims) out = dim === undefined ? tf.reshape(out, t.shape.map(() => 1)) : tf.expandDims(out, dim);
    return out;
  }, { dtype: 'int64', gradient: ZERO });
}
for (const kind of ['argmax', 'argmin'] as const) {
  fn(kind, ['x', 'axis=None', 'keepdims=False'], (a, site) => argExtremum(site, kind, TT(site, a.x), a.axis, boolArg(a.keepdims)));
  method(kind, ['axis=None', 'keepdims=False'], (x, a, site) => argExtremum(site, kind, x, a.axis, boolArg(a.keepdims)));
}

// ------------------------------------------------------------------ elementwise

/** Theano upcasts integer inputs of float functions to float64 (int8/int16 to float32). */
function floatInput(site: CallSite, x: TensorValue): TensorValue {
  if (isFloatDtype(x.dtype)) return x;
  return castTensor(site, x, x.dtype === 'int8' || x.dtype === 'int16' || x.dtype === 'uint8' || x.dtype === 'bool' ? 'float32' : 'float64');
}

function unary(name: string, f: (t: tf.Tensor) => tf.Tensor, result: UnaryResult = 'float', gradient: GradientMode = 'flow', table = tensorFunctions): void {
  table.set(name, def(name, ['a'], (a, site) => {
    const x = TT(site, a.a);
    return unaryOp(site, name, result === 'float' ? floatInput(site, x) : x, FLAVOUR, f, result, gradient);
  }));
}

const FLOAT_UNARY: Record<string, (t: tf.Tensor) => tf.Tensor> = {
  exp: tf.exp, expm1: tf.expm1, log: tf.log, log1p: tf.log1p, log2: (t) => tf.div(tf.log(t), Math.LN2), log10: (t) => tf.div(tf.log(t), Math.LN10),
  sqrt: tf.sqrt, tanh: tf.tanh, sinh: tf.sinh, cosh: tf.cosh, sin: tf.sin, cos: tf.cos, tan: tf.tan, arctan: tf.atan, inv: tf.reciprocal, erf: tf.erf,
};
for (const [name, f] of Object.entries(FLOAT_UNARY)) unary(name, f);
unary('sqr', (t) => tf.mul(t, t), 'same');
unary('abs_', tf.abs, 'same');
tensorFunctions.set('abs', tensorFunctions.get('abs_')!);
unary('neg', tf.neg, 'same');
unary('sgn', tf.sign, 'same', ZERO);
unary('floor', tf.floor, 'same', ZERO);
unary('ceil', tf.ceil, 'same', ZERO);
for (const [name, f] of [['isnan', tf.isNaN], ['isinf', tf.isInf]] as const) unary(name, f, 'bool');
unary('invert', (t) => tf.logicalNot(t.dtype === 'bool' ? t : tf.cast(t, 'bool')), 'bool');
tensorFunctions.set('bitwise_not', tensorFunctions.get('invert')!);

/** T.round: half away from zero by default (Theano's RoundHalfAwayFromZero), or 'half_to_even'. */
function roundValue(site: CallSite, x: TensorValue, mode: PyValue): TensorValue {
  const m = mode === null ? 'half_away_from_zero' : mode;
  if (m !== 'half_away_from_zero' && m !== 'half_to_even') throw valueError(`round mode ${String(m)} is not supported.`);
  if (!isFloatDtype(x.dtype)) return x;
  return site.rt.apply(site, 'round', [x], ([t]) => (m === 'half_to_even' ? tf.round(t) : tf.mul(tf.sign(t), tf.floor(tf.add(tf.abs(t), 0.5)))), { dtype: x.dtype, gradient: ZERO });
}
fn('round', ['a', 'mode=None'], (a, site) => roundValue(site, TT(site, a.a), a.mode));
method('round', ['mode=None'], (x, a, site) => roundValue(site, x, a.mode));

fn('pow', ['a', 'b'], (a, site) => binaryOp(site, '**', TT(site, a.a), scalarOrTensor(site, a.b), 'pow'));
for (const [name, op] of [['add', '+'], ['sub', '-'], ['mul', '*'], ['true_div', '/'], ['int_div', '//'], ['mod', '%']] as const) {
  fn(name, ['a', 'b'], (a, site) => binaryOp(site, op, TT(site, a.a), scalarOrTensor(site, a.b), name));
}

function scalarOrTensor(site: CallSite, v: PyValue): PyValue {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? v : TT(site, v);
}

/** Elementwise op of two operands with broadcasting, promoted to a common dtype. */
function binaryApply(site: CallSite, name: string, a: PyValue, b: PyValue, f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor, result: 'common' | 'bool', gradient: GradientMode): TensorValue {
  const [x, y, dtype] = coerceOperands(site, TT(site, a), scalarOrTensor(site, b), FLAVOUR);
  const shape = broadcastShape(x.shape, y.shape);
  site.rt.guard.checkTensorElements(shape, `the result of ${name}`);
  const broadcast = x.shape.join(',') !== shape.join(',') || y.shape.join(',') !== shape.join(',');
  return site.rt.apply(site, name, [x, y], ([p, q]) => f(p, q), { dtype: result === 'bool' ? 'bool' : dtype, gradient, broadcast, flavour: FLAVOUR });
}

function broadcastShape(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const p = a[a.length - rank + i] ?? 1;
    const q = b[b.length - rank + i] ?? 1;
    if (p !== q && p !== 1 && q !== 1) throw valueError(`Input dimension mis-match. (input[0].shape[${i}] = ${p}, input[1].shape[${i}] = ${q})`);
    return p === 1 ? q : p;
  });
}

const COMPARISONS: Record<string, (x: tf.Tensor, y: tf.Tensor) => tf.Tensor> = {
  eq: tf.equal, neq: tf.notEqual, gt: tf.greater, ge: tf.greaterEqual, lt: tf.less, le: tf.lessEqual,
};
for (const [name, f] of Object.entries(COMPARISONS)) fn(name, ['a', 'b'], (a, site) => binaryApply(site, name, a.a, a.b, f, 'bool', ZERO));

for (const [name, f] of [['and_', tf.logicalAnd], ['or_', tf.logicalOr], ['xor', tf.logicalXor]] as const) {
  fn(name, ['a', 'b'], (a, site) => {
    const x = TT(site, a.a);
    const y = TT(site, a.b);
    if (x.dtype !== 'bool' || y.dtype !== 'bool') {
      if (isFloatDtype(x.dtype) || isFloatDtype(y.dtype)) throw typeError(`${name} is only defined on integer and boolean tensors`);
    }
    return binaryApply(site, name, castTensor(site, x, 'bool'), castTensor(site, y, 'bool'), f, 'bool', ZERO);
  });
}
tensorFunctions.set('bitwise_and', tensorFunctions.get('and_')!);
tensorFunctions.set('bitwise_or', tensorFunctions.get('or_')!);

/** T.maximum / T.minimum: a tie sends the whole gradient to both inputs, as Theano's grad does. */
for (const [name, kind] of [['maximum', 'max'], ['minimum', 'min']] as const) {
  const f = extremumWithTies(kind, 'both');
  fn(name, ['x', 'y'], (a, site) => binaryApply(site, name, a.x, a.y, f, 'common', 'flow'));
}

fn('clip', ['x', 'min', 'max'], (a, site) => clip(site, TT(site, a.x), scalarOrTensor(site, a.min), scalarOrTensor(site, a.max), FLAVOUR));
method('clip', ['a_min', 'a_max'], (x, a, site) => clip(site, x, scalarOrTensor(site, a.a_min), scalarOrTensor(site, a.a_max), FLAVOUR));

fn('switch', ['cond', 'ift', 'iff'], (a, site) => where(site, TT(site, a.cond), scalarOrTensor(site, a.ift), scalarOrTensor(site, a.iff), FLAVOUR));
tensorFunctions.set('where', tensorFunctions.get('switch')!);

/** T.cast / x.astype: float → float keeps the gradient; to an integer or bool type it is zero. */
function theanoCast(site: CallSite, x: TensorValue, dtypeValue: PyValue, opName = 'cast'): TensorValue {
  const dtype = dtypeArg(dtypeValue);
  if (!dtype) throw typeError(`cast: unsupported dtype ${typeName(dtypeValue)}`);
  if (x.dtype === dtype) return x;
  if (isFloatDtype(dtype) && isFloatDtype(x.dtype)) return castTensor(site, x, dtype, opName);
  return site.rt.apply(site, opName, [x], ([t]) => {
    if (isIntDtype(dtype) && isFloatDtype(x.dtype)) return tf.cast(tf.mul(tf.sign(t), tf.floor(tf.abs(t))), 'int32');
    return tf.cast(t, dtype === 'bool' ? 'bool' : isFloatDtype(dtype) ? 'float32' : 'int32');
  }, { dtype, gradient: isFloatDtype(dtype) ? 'flow' : ZERO });
}
fn('cast', ['x', 'dtype'], (a, site) => theanoCast(site, TT(site, a.x), a.dtype));
method('astype', ['dtype'], (x, a, site) => theanoCast(site, x, a.dtype, 'astype'));

// ------------------------------------------------------------------ shapes

function theanoReshape(site: CallSite, x: TensorValue, shape: number[]): TensorValue {
  const unknown = shape.filter((d) => d === -1).length;
  const known = shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const fits = unknown === 1 ? (known === 0 ? x.size === 0 : x.size % known === 0) : unknown === 0 && known === x.size;
  if (!fits || shape.some((d) => d < -1)) throw valueError(`cannot reshape array of size ${x.size} into shape (${shape.join(', ')}${shape.length === 1 ? ',' : ''})`);
  return reshape(site, x, shape);
}

function shapeValue(value: PyValue): number[] {
  return toShape(value);
}

fn('reshape', ['x', 'newshape', 'ndim=None'], (a, site) => theanoReshape(site, TT(site, a.x), shapeValue(a.newshape)));
method('reshape', ['shape', '*more', 'ndim=None'], (x, a, site) => {
  const more = (a.more as PyTuple).items;
  return theanoReshape(site, x, more.length ? toShape(new PyTuple([a.shape, ...more])) : shapeValue(a.shape));
});

/** T.flatten(x, ndim=1): keeps the first ndim-1 axes and merges the rest. */
function theanoFlatten(site: CallSite, x: TensorValue, ndimValue: PyValue, outdim: PyValue = null): TensorValue {
  const ndim = outdim !== null && outdim !== undefined ? intArg(outdim, 'outdim') : ndimValue === null ? 1 : intArg(ndimValue, 'ndim');
  if (ndim < 1 || (ndim > x.rank && x.rank > 0)) throw valueError(`ndim ${ndim} out of bound [1, ${x.rank + 1})`);
  return reshape(site, x, x.rank === 0 ? [1] : [...x.shape.slice(0, ndim - 1), -1], 'flatten');
}
fn('flatten', ['x', 'ndim=None', 'outdim=None'], (a, site) => theanoFlatten(site, TT(site, a.x), a.ndim, a.outdim));
method('flatten', ['ndim=1', 'outdim=None'], (x, a, site) => theanoFlatten(site, x, a.ndim, a.outdim));
method('ravel', [], (x, _a, site) => theanoFlatten(site, x, 1n));

/** x.dimshuffle(0, 'x', 1): a permutation of the axes with 'x' inserting broadcastable ones. */
function dimshuffle(site: CallSite, x: TensorValue, pattern: PyValue[]): TensorValue {
  const items = pattern.length === 1 && (pattern[0] instanceof PyList || pattern[0] instanceof PyTuple) ? (pattern[0] as PyList).items : pattern;
  const dims: number[] = [];
  for (const p of items) {
    if (p === 'x') continue;
    const d = intArg(p, 'dimshuffle pattern');
    if (d < 0 || d >= x.rank) throw valueError(`new_order[${dims.length}] is ${d}, but the input only has ${x.rank} axes.`);
    if (dims.includes(d)) throw valueError(`The same input dimension may not appear twice in the list of output dimensions (${items.map(String).join(', ')})`);
    dims.push(d);
  }
  const dropped = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  for (const d of dropped) {
    if (x.shape[d] !== 1) throw valueError(`You cannot drop a non-broadcastable dimension: axis ${d} has length ${x.shape[d]}.`);
  }
  const outShape = items.map((p) => (p === 'x' ? 1 : x.shape[intArg(p)]));
  return site.rt.apply(site, 'dimshuffle', [x], ([t]) => tf.reshape(tf.transpose(t, [...dims, ...dropped]), outShape), { dtype: x.dtype });
}
variableMethods.dimshuffle = tensorMethod((x, args, site) => {
  if (args.keywords.size) throw typeError('dimshuffle() takes no keyword arguments');
  return dimshuffle(site, x, args.positional);
});

function transposeValue(site: CallSite, x: TensorValue, axes: number[] | undefined): TensorValue {
  if (axes !== undefined && axes.length !== x.rank) throw valueError(`transpose: axes don't match the input's ${x.rank} dimensions`);
  return permute(site, x, axes, 'transpose');
}
fn('transpose', ['x', 'axes=None'], (a, site) => transposeValue(site, TT(site, a.x), a.axes === null ? undefined : toShape(a.axes)));
method('transpose', ['*axes'], (x, a, site) => {
  const items = (a.axes as PyTuple).items;
  if (!items.length || (items.length === 1 && items[0] === null)) return transposeValue(site, x, undefined);
  return transposeValue(site, x, items.length === 1 && (items[0] instanceof PyList || items[0] instanceof PyTuple) ? toShape(items[0]) : items.map((v) => intArg(v, 'axes')));
});
method('swapaxes', ['axis1', 'axis2'], (x, a, site) => swapAxes(site, x, intArg(a.axis1), intArg(a.axis2), 'swapaxes'));

function squeezeValue(site: CallSite, x: TensorValue, axis: PyValue): TensorValue {
  return squeeze(site, x, toAxes(axis), true);
}
fn('squeeze', ['x', 'axis=None'], (a, site) => squeezeValue(site, TT(site, a.x), a.axis));
extraOps.set('squeeze', tensorFunctions.get('squeeze')!);
method('squeeze', ['axis=None'], (x, a, site) => squeezeValue(site, x, a.axis));

/** Padding shapes with broadcastable axes (shape_padleft, shape_padright, shape_padaxis). */
function padCount(x: TensorValue, value: PyValue): number {
  const n = intArg(value, 'n_ones');
  if (n < 0 || x.rank + n > MAX_DIMS) throw valueError(`shape padding to ${x.rank + n} dimensions is not supported (at most ${MAX_DIMS})`);
  return n;
}
fn('shape_padleft', ['t', 'n_ones=1'], (a, site) => {
  const x = TT(site, a.t);
  return reshape(site, x, [...Array(padCount(x, a.n_ones)).fill(1), ...x.shape], 'shape_padleft');
});
fn('shape_padright', ['t', 'n_ones=1'], (a, site) => {
  const x = TT(site, a.t);
  return reshape(site, x, [...x.shape, ...Array(padCount(x, a.n_ones)).fill(1)], 'shape_padright');
});
fn('shape_padaxis', ['t', 'axis'], (a, site) => {
  const x = TT(site, a.t);
  let axis = intArg(a.axis, 'axis');
  if (axis < -(x.rank + 1) || axis > x.rank) {
    throw indexError(`axis ${axis} is out of bounds [-${x.rank + 1}, ${x.rank + 1})`);
  }
  if (axis < 0) axis += x.rank + 1;
  const shape = [...x.shape];
  shape.splice(axis, 0, 1);
  return reshape(site, x, shape, 'shape_padaxis');
});
for (const name of ['addbroadcast', 'unbroadcast']) {
  fn(name, ['x', '*axes'], (a, site) => {
    const x = TT(site, a.x);
    if (name === 'addbroadcast') {
      for (const ax of (a.axes as PyTuple).items) {
        const d = normaliseAxis(intArg(ax, 'axis'), x.rank);
        if (x.shape[d] !== 1) throw valueError(`addbroadcast: axis ${d} has length ${x.shape[d]}, not 1`);
      }
    }
    return x;
  });
}
fn('patternbroadcast', ['x', 'broadcastable'], (a, site) => TT(site, a.x));

function concatValue(site: CallSite, items: TensorValue[], axisValue: PyValue, opName: string): TensorValue {
  if (!items.length) throw valueError('Cannot concatenate an empty list of tensors');
  const rank = items[0].rank;
  if (rank === 0) throw valueError('zero-dimensional arrays cannot be concatenated');
  const axis = normaliseAxis(intArg(axisValue, 'axis'), rank);
  items.forEach((t, i) => {
    if (t.rank !== rank) throw typeError(`Join: all tensors must have the same number of dimensions (input ${i} has ${t.rank}, input 0 has ${rank})`);
    t.shape.forEach((d, k) => {
      if (k !== axis && d !== items[0].shape[k]) {
        throw valueError(`all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${k}, the array at index 0 has size ${items[0].shape[k]} and the array at index ${i} has size ${d}`);
      }
    });
  });
  return concat(site, items, axis, opName);
}

function tensorItems(site: CallSite, value: PyValue): TensorValue[] {
  if (!(value instanceof PyList || value instanceof PyTuple)) throw typeError(`expected a list of tensors, got ${typeName(value)}`);
  return value.items.map((v) => TT(site, v));
}

fn('concatenate', ['tensor_list', 'axis=0'], (a, site) => concatValue(site, tensorItems(site, a.tensor_list), a.axis, 'concatenate'));
fn('join', ['axis', '*tensors_list'], (a, site) => concatValue(site, (a.tensors_list as PyTuple).items.map((v) => TT(site, v)), a.axis, 'join'));
fn('stack', ['*tensors', 'axis=0'], (a, site) => {
  const raw = (a.tensors as PyTuple).items;
  const items = raw.length === 1 && (raw[0] instanceof PyList || raw[0] instanceof PyTuple) ? tensorItems(site, raw[0]) : raw.map((v) => TT(site, v));
  if (!items.length) throw valueError('theano.tensor.stack: at least one tensor is needed');
  if (items.some((t) => t.shape.join(',') !== items[0].shape.join(','))) throw valueError('all input arrays must have the same shape');
  const dtype = items.map((t) => t.dtype).reduce((p, q) => promoteTypes(p, q, FLAVOUR));
  const rank = items[0].rank + 1;
  let axis = intArg(a.axis, 'axis');
  if (axis < -rank || axis >= rank) throw indexError(`axis ${axis} is out of bounds for the stacked rank ${rank}`);
  if (axis < 0) axis += rank;
  return stack(site, items.map((t) => (t.dtype === dtype ? t : castTensor(site, t, dtype))), axis);
});

fn('dot', ['a', 'b'], (a, site) => dotValue(site, TT(site, a.a), TT(site, a.b)));
method('dot', ['other'], (x, a, site) => dotValue(site, x, TT(site, a.other)));
fn('outer', ['x', 'y'], (a, site) => {
  const x = TT(site, a.x);
  const y = TT(site, a.y);
  return binaryOp(site, '*', reshape(site, x, [-1, 1], 'outer'), reshape(site, y, [1, -1], 'outer'), 'outer');
});

for (const [name, axisDefault] of [['cumsum', 'axis=None']] as const) {
  const impl = (x: TensorValue, axisValue: PyValue, site: CallSite) => {
    const input = axisValue === null ? reshape(site, x, [-1], 'flatten') : x;
    const axis = axisValue === null ? 0 : normaliseAxis(intArg(axisValue), x.rank);
    const dtype: LogicalDtype = input.dtype === 'bool' || (isIntDtype(input.dtype) && input.dtype !== 'int64') ? 'int64' : input.dtype;
    return cumsumValue(site, input, axis, dtype);
  };
  fn(name, ['x', axisDefault], (a, site) => impl(TT(site, a.x), a.axis, site));
  extraOps.set(name, tensorFunctions.get(name)!);
  method(name, [axisDefault], (x, a, site) => impl(x, a.axis, site));
}
for (const name of ['sort', 'argsort'] as const) {
  const impl = (x: TensorValue, axisValue: PyValue, site: CallSite) => {
    const input = axisValue === null ? reshape(site, x, [-1], 'flatten') : x;
    const axis = axisValue === null ? 0 : normaliseAxis(intArg(axisValue), x.rank);
    return name === 'sort' ? sortValue(site, input, axis) : argsortValue(site, input, axis, 'int64');
  };
  fn(name, ['a', 'axis=-1', 'kind=\'quicksort\'', 'order=None'], (a, site) => impl(TT(site, a.a), a.axis, site));
  method(name, ['axis=-1', 'kind=\'quicksort\'', 'order=None'], (x, a, site) => impl(x, a.axis, site));
}
fn('repeat', ['x', 'repeats', 'axis=None'], (a, site) => repeatArgs(site, TT(site, a.x), a.repeats, a.axis));
extraOps.set('repeat', tensorFunctions.get('repeat')!);
method('repeat', ['repeats', 'axis=None'], (x, a, site) => repeatArgs(site, x, a.repeats, a.axis));
function repeatArgs(site: CallSite, x: TensorValue, repeats: PyValue, axisValue: PyValue): TensorValue {
  const source = axisValue === null ? reshape(site, x, [-1], 'flatten') : x;
  const axis = axisValue === null ? 0 : normaliseAxis(intArg(axisValue), x.rank);
  return repeatValue(site, source, isTensor(repeats) ? Array.from(repeats.tensor.dataSync(), Number) : toShape(repeats), axis);
}

// ------------------------------------------------------------------ construction

function likeValue(site: CallSite, model: PyValue, value: number, dtypeValue: PyValue, name: string): TensorValue {
  const x = TT(site, model);
  return zerosLike(site, x, value, dtypeValue === null ? x.dtype : dtypeArg(dtypeValue), name);
}
fn('zeros_like', ['model', 'dtype=None', 'opt=False'], (a, site) => likeValue(site, a.model, 0, a.dtype, 'zeros_like'));
fn('ones_like', ['model', 'dtype=None', 'opt=False'], (a, site) => likeValue(site, a.model, 1, a.dtype, 'ones_like'));
method('zeros_like', ['dtype=None'], (x, a, site) => likeValue(site, x, 0, a.dtype, 'zeros_like'));
method('ones_like', ['dtype=None'], (x, a, site) => likeValue(site, x, 1, a.dtype, 'ones_like'));
for (const [name, value] of [['zeros', 0], ['ones', 1]] as const) {
  fn(name, ['shape', 'dtype=None'], (a, site) => filled(site, toShape(a.shape), value, dtypeArg(a.dtype) ?? FLOATX, FLAVOUR, name));
}
fn('fill', ['model', 'value'], (a, site) => {
  const x = TT(site, a.model);
  const v = TT(site, a.value);
  return binaryOp(site, '+', zerosLike(site, x, 0, promoteTypes(x.dtype, v.dtype, FLAVOUR), 'fill'), v, 'fill');
});
fn('alloc', ['value', '*shape'], (a, site) => {
  const v = TT(site, a.value);
  const shape = (a.shape as PyTuple).items.map((d) => intArg(d, 'shape'));
  site.rt.guard.checkTensorElements(shape, 'alloc');
  return binaryOp(site, '+', filled(site, shape, 0, v.dtype, FLAVOUR, 'alloc'), v, 'alloc');
});
fn('arange', ['start', 'stop=None', 'step=1', 'dtype=None'], (a, site) => {
  const [start, stop] = a.stop === null ? [0, floatArg(a.start)] : [floatArg(a.start), floatArg(a.stop)];
  const step = floatArg(a.step);
  if (step === 0) throw valueError('arange: step must be nonzero');
  const anyFloat = [a.start, a.stop, a.step].some((v) => typeof v === 'number' || (isTensor(v) && isFloatDtype(v.dtype)));
  const dtype = dtypeArg(a.dtype) ?? (anyFloat ? FLOATX : 'int64');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  site.rt.guard.checkTensorElements([count], 'arange');
  const values = Array.from({ length: count }, (_, i) => start + i * step);
  return site.rt.constant(values, [count], dtype, FLAVOUR);
});

/** T.constant / T.as_tensor_variable: Python floats are float64 scalars, float lists floatX arrays. */
function asVariable(site: CallSite, value: PyValue, dtypeValue: PyValue = null): TensorValue {
  const dtype = dtypeArg(dtypeValue);
  if (isTensor(value)) {
    const x = TT(site, value);
    return dtype && dtype !== x.dtype ? theanoCast(site, x, dtype) : x;
  }
  if (typeof value === 'number') return TT(site, value, dtype ?? 'float64');
  if (value === null || typeof value === 'string' || value instanceof PyInstance) throw typeError(`Cannot convert ${typeName(value)} to TensorType`);
  return TT(site, value, dtype);
}
fn('constant', ['x', 'name=None', 'ndim=None', 'dtype=None'], (a, site) => asVariable(site, a.x, a.dtype));
fn('as_tensor_variable', ['x', 'name=None', 'ndim=None'], (a, site) => asVariable(site, a.x));
tensorFunctions.set('as_tensor', tensorFunctions.get('as_tensor_variable')!);
fn('shape', ['x'], (a, site) => {
  const x = TT(site, a.x);
  return site.rt.constant(x.shape, [x.rank], 'int64', FLAVOUR);
});

// ------------------------------------------------------------------ theano.tensor.nnet

function nnet(name: string, spec: readonly string[], impl: (a: Bound, site: CallSite) => PyValue): void {
  nnetFunctions.set(name, def(name, spec, impl));
}

nnet('sigmoid', ['x'], (a, site) => unaryOp(site, 'sigmoid', floatInput(site, TT(site, a.x)), FLAVOUR, tf.sigmoid));
nnet('softplus', ['x'], (a, site) => unaryOp(site, 'softplus', floatInput(site, TT(site, a.x)), FLAVOUR, tf.softplus));
nnet('hard_sigmoid', ['x'], (a, site) => unaryOp(site, 'hard_sigmoid', floatInput(site, TT(site, a.x)), FLAVOUR, (t) => tf.clipByValue(tf.add(tf.mul(t, 0.2), 0.5), 0, 1)));
nnet('relu', ['x', 'alpha=0'], (a, site) => {
  const alpha = floatArg(a.alpha);
  // theano.tensor.nnet.relu's own formula (its gradient at 0 is (1 + alpha) / 2 there)
  return unaryOp(site, 'relu', TT(site, a.x), FLAVOUR, (t) => (alpha === 0 ? tf.mul(tf.add(t, tf.abs(t)), 0.5) : tf.add(tf.mul(t, 0.5 * (1 + alpha)), tf.mul(tf.abs(t), 0.5 * (1 - alpha)))), 'same');
});
nnet('elu', ['x', 'alpha=1'], (a, site) => {
  const alpha = floatArg(a.alpha);
  return unaryOp(site, 'elu', floatInput(site, TT(site, a.x)), FLAVOUR, (t) => tf.where(tf.greater(detach(t), 0), t, tf.mul(tf.expm1(t), alpha)));
});
for (const name of ['softmax', 'logsoftmax'] as const) {
  nnet(name, ['c'], (a, site) => {
    const x = floatInput(site, TT(site, a.c));
    if (x.rank !== 1 && x.rank !== 2) throw valueError(`x must be 1-d or 2-d tensor of floats. Got TensorType(${x.dtype}, ${x.rank}D)`);
    return name === 'softmax' ? softmax(site, x, -1) : logSoftmax(site, x, -1, 'logsoftmax');
  });
}

function checkClassIndices(x: TensorValue, idx: TensorValue, classes: number, what: string): void {
  if (isFloatDtype(idx.dtype) || idx.dtype === 'bool') throw typeError(`${what}: integer targets required, got ${idx.dtype}`);
  for (const v of idx.tensor.dataSync()) {
    if (v < 0 || v >= classes) throw valueError(`${what}: y_idx value ${v} out of range [0, ${classes}) for coding_dist of shape (${x.shape.join(', ')})`);
  }
}

function crossentropy1hot(site: CallSite, coding: TensorValue, idx: TensorValue): TensorValue {
  if (coding.rank !== 2 || idx.rank !== 1) throw typeError('crossentropy_categorical_1hot: coding_dist must be a matrix and true_idx a vector');
  if (coding.shape[0] !== idx.shape[0]) throw valueError(`crossentropy_categorical_1hot: ${coding.shape[0]} rows in coding_dist but ${idx.shape[0]} targets`);
  const classes = coding.shape[1];
  checkClassIndices(coding, idx, classes, 'crossentropy_categorical_1hot');
  const x = floatInput(site, coding);
  return site.rt.apply(site, 'crossentropy_categorical_1hot', [x, idx], ([p, y]) => {
    // (tf.oneHot's own dtype argument reinterprets the int bits as floats on the cpu backend)
    const hot = tf.cast(tf.oneHot(tf.cast(y, 'int32'), classes), 'float32');
    return tf.neg(tf.log(tf.sum(tf.mul(p, hot), 1)));
  }, { dtype: x.dtype });
}

nnet('categorical_crossentropy', ['coding_dist', 'true_dist'], (a, site) => {
  const coding = floatInput(site, TT(site, a.coding_dist));
  const truth = TT(site, a.true_dist);
  if (truth.rank === coding.rank) {
    const t = castTensor(site, truth, coding.dtype);
    const shape = broadcastShape(coding.shape, t.shape);
    return site.rt.apply(site, 'categorical_crossentropy', [coding, t], ([p, y]) => tf.neg(tf.sum(tf.mul(y, tf.log(p)), shape.length - 1)), { dtype: coding.dtype, broadcast: coding.shape.join(',') !== t.shape.join(',') });
  }
  if (truth.rank === coding.rank - 1) return crossentropy1hot(site, coding, truth);
  throw typeError('rank mismatch between coding and true distributions');
});
nnet('crossentropy_categorical_1hot', ['coding_dist', 'true_idx'], (a, site) => crossentropy1hot(site, TT(site, a.coding_dist), TT(site, a.true_idx)));

/** -(target·log(output) + (1 - target)·log(1 - output)), elementwise and unclipped, as Theano. */
nnet('binary_crossentropy', ['output', 'target'], (a, site) => {
  const output = floatInput(site, TT(site, a.output));
  const target = TT(site, a.target);
  const t = isFloatDtype(target.dtype) ? target : castTensor(site, target, output.dtype);
  const dtype = promoteTypes(output.dtype, t.dtype, FLAVOUR);
  const shape = broadcastShape(output.shape, t.shape);
  site.rt.guard.checkTensorElements(shape, 'binary_crossentropy');
  return site.rt.apply(site, 'binary_crossentropy', [output, t], ([o, y]) =>
    tf.neg(tf.add(tf.mul(y, tf.log(o)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, o))))), { dtype, broadcast: output.shape.join(',') !== t.shape.join(',') });
});
nnet('sigmoid_binary_crossentropy', ['output', 'target'], (a, site) => {
  const output = floatInput(site, TT(site, a.output));
  const target = TT(site, a.target);
  const t = isFloatDtype(target.dtype) ? target : castTensor(site, target, output.dtype);
  const shape = broadcastShape(output.shape, t.shape);
  site.rt.guard.checkTensorElements(shape, 'sigmoid_binary_crossentropy');
  return site.rt.apply(site, 'sigmoid_binary_crossentropy', [output, t], ([o, y]) =>
    tf.add(tf.mul(tf.softplus(tf.neg(o)), y), tf.mul(tf.softplus(o), tf.sub(1, y))), { dtype: promoteTypes(output.dtype, t.dtype, FLAVOUR), broadcast: output.shape.join(',') !== t.shape.join(',') });
});

// ------------------------------------------------------------------ theano.tensor.extra_ops

extraOps.set('to_one_hot', def('to_one_hot', ['y', 'nb_class', 'dtype=None'], (a, site) => {
  const y = TT(site, a.y);
  if (y.rank !== 1) throw typeError(`to_one_hot: y must be a vector, got a ${y.rank}-d tensor`);
  if (isFloatDtype(y.dtype)) throw typeError('to_one_hot: y must be an integer tensor');
  const classes = intArg(a.nb_class, 'nb_class');
  site.rt.guard.checkTensorElements([y.shape[0], classes], 'to_one_hot');
  const indices = Int32Array.from(y.tensor.dataSync(), (v) => {
    if (v < -classes || v >= classes) throw indexError(`index ${v} is out of bounds for axis 1 with size ${classes}`);
    return v < 0 ? v + classes : v;
  });
  return site.rt.apply(site, 'to_one_hot', [y], () => tf.oneHot(tf.tensor1d(indices, 'int32'), classes), { dtype: dtypeArg(a.dtype) ?? FLOATX, gradient: ZERO });
}));

// ------------------------------------------------------------------ variable methods and attributes

method('norm', ['L', 'axis=None', 'keepdims=False'], (x, a, site) => {
  const p = floatArg(a.L, 'L');
  const axes = toAxes(a.axis);
  const keep = boolArg(a.keepdims);
  const absX = unaryOp(site, 'abs', x, FLAVOUR, tf.abs, 'same');
  if (p === 1) return reduce(site, 'sum', absX, axes, keep, { opName: 'norm' });
  if (p === 2) return unaryOp(site, 'sqrt', reduce(site, 'sum', binaryOp(site, '*', x, x), axes, keep, { opName: 'norm' }), FLAVOUR, tf.sqrt);
  return binaryOp(site, '**', reduce(site, 'sum', binaryOp(site, '**', absX, p), axes, keep, { opName: 'norm' }), 1 / p);
});
method('nonzero_values', [], (x, _a, site) => indexTensor(site, x, binaryOp(site, '!=', x, x.dtype === 'bool' ? false : 0n)));
method('copy', ['name=None'], (x, _a, site) => site.rt.apply(site, 'copy', [x], ([t]) => tf.clone(t), { dtype: x.dtype }));
method('get_value', ['borrow=False', 'return_internal_type=False'], (x) => new TensorValue(x.tensor, x.dtype, 'numpy', x.origin, x.requiresGrad, x.producer));
method('eval', ['inputs_to_values=None'], (x) => new TensorValue(x.tensor, x.dtype, 'numpy', x.origin, x.requiresGrad, x.producer));

const variableProperties: Record<string, TensorAttribute> = {
  shape: tensorProperty((x) => new PyTuple(x.shape.map((d) => BigInt(d)))),
  ndim: tensorProperty((x) => BigInt(x.rank)),
  size: tensorProperty((x) => BigInt(x.size)),
  dtype: tensorProperty((x) => x.dtype),
  T: tensorProperty((x, site) => permute(site, x, undefined, 'T')),
  broadcastable: tensorProperty((x) => new PyTuple(x.shape.map(() => false))),
};

const TENSOR_VARIABLE = new PyClass('TensorVariable', [OBJECT_CLASS], new Map(), undefined, 'theano.tensor.var.TensorVariable');
TYPE_CLASSES.set(TENSOR_VARIABLE, (v) => isTensor(v) && v.flavour === FLAVOUR);
const TENSOR_CONSTANT = new PyClass('TensorConstant', [TENSOR_VARIABLE], new Map(), undefined, 'theano.tensor.var.TensorConstant');
TYPE_CLASSES.set(TENSOR_CONSTANT, (v) => isTensor(v) && v.flavour === FLAVOUR && !v.requiresGrad && v.origin === 0);

// ------------------------------------------------------------------ registration

registerTensorAttributes(FLAVOUR, { ...variableMethods, ...variableProperties });

const CONFIG_CLASS = new PyClass('TheanoConfigParser', [OBJECT_CLASS], new Map(), undefined, 'theano.configparser.TheanoConfigParser');

registerModule('theano', () => {
  const config = new PyInstance(CONFIG_CLASS);
  config.attrs.set('floatX', FLOATX);
  config.attrs.set('device', 'cpu');
  config.attrs.set('mode', 'FAST_RUN');
  config.attrs.set('optimizer', 'fast_run');
  config.attrs.set('cast_policy', 'custom');
  return new Map<string, PyValue>([
    ['config', config],
    ['__version__', '1.0.5'],
    ['shared', def('shared', ['value', 'name=None', 'strict=False', 'allow_downcast=None', '**kwargs'], (a, site) => TT(site, a.value))],
  ]);
});
registerModule('theano.tensor', () => new Map<string, PyValue>([
  ...tensorFunctions,
  ['TensorVariable', TENSOR_VARIABLE],
  ['TensorConstant', TENSOR_CONSTANT],
  ['pi', Math.PI],
  ['e', Math.E],
  ['inf', Infinity],
  ['nan', NaN],
  ['newaxis', null],
]));
registerModule('theano.tensor.nnet', () => nnetFunctions);
registerModule('theano.tensor.nnet.nnet', () => nnetFunctions);
registerModule('theano.tensor.extra_ops', () => extraOps);
