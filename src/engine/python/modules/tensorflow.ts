// TensorFlow 2 (eager): tensorflow, tf.math, tf.nn, tf.linalg, tf.dtypes, tf.debugging and the
// tf.Tensor attributes, with TF's semantics: axis/keepdims, no implicit dtype promotion between
// tensors, integer reduce_mean, int64 argmax, one_hot → float32 on a new last axis, and TF's
// registered gradients (Round/Floor/Ceil, ArgMax, comparisons, non-float casts and StopGradient
// carry none; Sign's is zero; SoftmaxCrossEntropyWithLogits uses its kernel gradient).
// keras.ts builds Keras's backend and losses on the functions exported here.
import * as tf from '@tensorflow/tfjs';
import { registerTensorAttributes, tensorMethod, tensorProperty } from '../attributes';
import { OBJECT_CLASS, TYPE_CLASSES } from '../builtins';
import type { CallSite } from '../callsite';
import { InterpreterError, typeError, valueError } from '../errors';
import { asTensor, castTensor } from '../ops/convert';
import { binaryFunction, binaryOp, type BinaryOperator } from '../ops/elementwise';
import { gatherAlong, indexTensor } from '../ops/indexing';
import { absSignGrad, reduceExtreme, selectMaximum, selectMinimum, selectWhere } from '../ops/select';
import { einsum as einsumOp, logSoftmax, softmax as softmaxOp } from '../ops/nn';
import { reduce, type ReduceKind } from '../ops/reduce';
import { arange, broadcastTo, concat, expandDims, eye, filled, linspace, permute, reshape, squeeze, stack, tile, zerosLike } from '../ops/shape';
import { isTensor, repr, toFloat, toInt, truthy } from '../protocols';
import { bindArgs } from '../signature';
import { type LogicalDtype, TensorValue, isFloatDtype, isIntDtype, storageDtype } from '../tensor';
import type { GradientMode } from '../trace';
import { BuiltinFunction, PyClass, PyList, PyOpaque, PySlice, PyTuple, type PyValue, typeName } from '../values';
import { type Bound, def, dtypeObject, parseDtype } from './common';
import { getModule, registerModule } from './registry';

export const TF_FLAVOUR = 'tf' as const;

// ------------------------------------------------------------------ errors, dtypes, conversion

export function tfError(pyType: string, message: string): InterpreterError {
  return new InterpreterError('python', `${pyType}: ${message}`, undefined, pyType);
}
export const invalidArgument = (message: string) => tfError('InvalidArgumentError', message);

const DT_NAMES: Record<LogicalDtype, string> = {
  float16: 'DT_HALF', float32: 'DT_FLOAT', float64: 'DT_DOUBLE', uint8: 'DT_UINT8', int8: 'DT_INT8', int16: 'DT_INT16',
  int32: 'DT_INT32', int64: 'DT_INT64', bool: 'DT_BOOL',
};

/** TF has no kernel of this op for this dtype (tf.math.log of an int tensor, arithmetic on bools). */
export function noKernel(kernel: string, dtype: LogicalDtype): InterpreterError {
  return tfError('NotFoundError', `Could not find device for node: {{node ${kernel}}} = ${kernel}[T=${DT_NAMES[dtype]}]: TensorFlow has no ${kernel} kernel for ${dtype} tensors (cast first)`);
}

/** A dtype argument: tf.float32, 'float32', np.float32, or Python's float/int/bool. */
export function tfDtype(value: PyValue): LogicalDtype | undefined {
  if (value instanceof BuiltinFunction) {
    if (value.name === 'float') return 'float32';
    if (value.name === 'int') return 'int64';
    if (value.name === 'bool') return 'bool';
  }
  return parseDtype(value, TF_FLAVOUR);
}

/** The same tensor as a tf.Tensor (numpy arrays handed to TF functions become tensors). */
export function asTf(value: TensorValue): TensorValue {
  if (value.flavour === TF_FLAVOUR) return value;
  return new TensorValue(value.tensor, value.dtype, TF_FLAVOUR, value.origin, value.requiresGrad, value.producer);
}

/** tf.convert_to_tensor without a dtype: tensors pass through, Python values become float32/int32/bool. */
export const T = (site: CallSite, value: PyValue): TensorValue => {
  if (value === null) throw valueError('Attempt to convert a value (None) with an unsupported type (<class \'NoneType\'>) to a Tensor.');
  return asTf(asTensor(site, value, TF_FLAVOUR));
};

const isTfTensor = (value: PyValue): value is TensorValue => isTensor(value) && value.flavour !== 'numpy';

/** tf.convert_to_tensor(value, dtype): Python values and numpy arrays take the dtype if they can. */
export function convertTo(site: CallSite, value: PyValue, dtype: LogicalDtype | undefined): TensorValue {
  if (isTensor(value)) {
    if (!dtype || value.dtype === dtype) return asTf(value);
    if (value.flavour === 'numpy') {
      if (isFloatDtype(value.dtype) && !isFloatDtype(dtype)) throw typeError(`Cannot convert a ${value.dtype} array to EagerTensor of dtype ${dtype}`);
      return asTf(castTensor(site, value, dtype));
    }
    throw valueError(`Tensor conversion requested dtype ${dtype} for Tensor with dtype ${value.dtype}: ${repr(value)}`);
  }
  const inferred = T(site, value);
  if (!dtype || inferred.dtype === dtype) return inferred;
  const lossy = (isFloatDtype(inferred.dtype) && !isFloatDtype(dtype)) || (inferred.dtype === 'bool') !== (dtype === 'bool');
  if (lossy) throw typeError(`Cannot convert ${repr(value)} to EagerTensor of dtype ${dtype}`);
  return asTf(castTensor(site, inferred, dtype));
}

/**
 * The two operands of a binary TF op: TF never promotes, so tensors must share a dtype, and a
 * Python scalar (or numpy array) is converted to the tensor's dtype (0.5 with an int32 tensor is a
 * TypeError, as in TF).
 */
export function tfOperands(site: CallSite, kernel: string, a: PyValue, b: PyValue): [TensorValue, TensorValue] {
  if (isTfTensor(a) && isTfTensor(b)) {
    if (a.dtype !== b.dtype) {
      throw invalidArgument(`cannot compute ${kernel} as input #1(zero-based) was expected to be a ${a.dtype} tensor but is a ${b.dtype} tensor [Op:${kernel}]`);
    }
    return [a, b];
  }
  if (isTfTensor(a)) return [a, convertTo(site, b, a.dtype)];
  if (isTfTensor(b)) return [convertTo(site, a, b.dtype), b];
  const x = T(site, a);
  return [x, convertTo(site, b, x.dtype)];
}

function requireFloat(x: TensorValue, kernel: string): void {
  if (!isFloatDtype(x.dtype)) throw noKernel(kernel, x.dtype);
}

function requireNumeric(x: TensorValue, kernel: string): void {
  if (x.dtype === 'bool') throw noKernel(kernel, x.dtype);
}

function requireBool(x: TensorValue, what: string): void {
  if (x.dtype !== 'bool') throw typeError(`Value passed to parameter '${what}' has DataType ${x.dtype} not in list of allowed values: bool`);
}

/** Axes of a TF `axis` argument (int, list, tuple, or an int tensor), checked and normalised. */
export function tfAxes(value: PyValue, rank: number, kernel: string): number[] | undefined {
  if (value === null || value === undefined) return undefined;
  let raw: number[];
  if (isTensor(value)) {
    if (!isIntDtype(value.dtype)) throw typeError(`Value passed to parameter 'reduction_indices' has DataType ${value.dtype} not in list of allowed values: int32, int64`);
    raw = Array.from(value.tensor.dataSync(), Number);
  } else if (value instanceof PyList || value instanceof PyTuple) raw = value.items.map((v) => toInt(v, 'axis'));
  else raw = [toInt(value, 'axis')];
  const out: number[] = [];
  for (const a of raw) {
    if (a < -rank || a >= rank || (rank === 0 && a !== 0 && a !== -1)) {
      throw invalidArgument(`Invalid reduction dimension (${a} for input with ${rank} dimension(s) [Op:${kernel}]`);
    }
    const n = rank === 0 ? 0 : a < 0 ? a + rank : a;
    if (!out.includes(n)) out.push(n);
  }
  return rank === 0 ? [] : out.sort((p, q) => p - q);
}

/** A single axis (softmax, concat, expand_dims...), normalised against `rank`. */
function tfAxis(value: PyValue, rank: number, kernel: string): number {
  const a = toInt(value, 'axis');
  const r = Math.max(rank, 1);
  if (a < -r || a >= r) throw invalidArgument(`axis ${a} is out of bounds for a tensor of rank ${rank} [Op:${kernel}]`);
  return a < 0 ? a + r : a;
}

function shapeOf(value: PyValue): number[] {
  if (isTensor(value)) {
    if (!isIntDtype(value.dtype)) throw typeError(`shape must be an integer tensor, got ${value.dtype}`);
    return Array.from(value.tensor.dataSync(), Number);
  }
  if (value instanceof PyList || value instanceof PyTuple) return value.items.map((v) => toInt(v, 'shape'));
  return [toInt(value, 'shape')];
}

/** A list argument of tensors; a single tensor is one item (concat) or its rows (stack). */
const listOf = (site: CallSite, value: PyValue, what: string): TensorValue[] => {
  if (isTfTensor(value)) return what === 'concat' || value.rank === 0 ? [value] : (unstackTensor(site, value, 0) as TensorValue[]);
  if (!(value instanceof PyList || value instanceof PyTuple)) throw typeError(`${what} expects a list of tensors, got ${typeName(value)}`);
  return value.items.map((v) => T(site, v));
};

/** Converts a list of values to tensors of one dtype (tensors fix it; Python values follow). */
function sameDtype(site: CallSite, kernel: string, items: PyValue[]): TensorValue[] {
  const first = items.find(isTfTensor) as TensorValue | undefined;
  const dtype = first?.dtype ?? T(site, items[0]).dtype;
  return items.map((item) => {
    if (isTfTensor(item) && item.dtype !== dtype) {
      throw invalidArgument(`cannot compute ${kernel} as input #${items.indexOf(item)}(zero-based) was expected to be a ${dtype} tensor but is a ${item.dtype} tensor [Op:${kernel}]`);
    }
    return convertTo(site, item, dtype);
  });
}

// ------------------------------------------------------------------ elementwise

/** An elementwise unary op; `kinds` are the dtypes TF has a kernel for. */
export function tfUnary(site: CallSite, name: string, value: PyValue, fn: (t: tf.Tensor) => tf.Tensor, kinds: 'float' | 'numeric' | 'any' = 'float', gradient: GradientMode = 'flow', kernel = name): TensorValue {
  const x = T(site, value);
  if (kinds === 'float') requireFloat(x, kernel);
  if (kinds === 'numeric') requireNumeric(x, kernel);
  return site.rt.apply(site, name, [x], ([t]) => fn(t), { dtype: x.dtype, gradient });
}

function predicate(site: CallSite, name: string, value: PyValue, fn: (t: tf.Tensor) => tf.Tensor): TensorValue {
  const x = T(site, value);
  requireFloat(x, name);
  return site.rt.apply(site, name, [x], ([t]) => fn(t), { dtype: 'bool', gradient: 'cut' });
}

const ARITH_KERNELS: Record<string, string> = { '+': 'AddV2', '-': 'Sub', '*': 'Mul', '/': 'RealDiv', '**': 'Pow', '%': 'FloorMod' };

/** x + y, x - y, x * y, x / y, x ** y, x % y with TF's dtype rules (int / int is float64). */
export function tfArith(site: CallSite, op: '+' | '-' | '*' | '/' | '**' | '%', a: PyValue, b: PyValue, opName: string): TensorValue {
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

const COMPARE_KERNELS: Record<string, string> = { '==': 'Equal', '!=': 'NotEqual', '>': 'Greater', '>=': 'GreaterEqual', '<': 'Less', '<=': 'LessEqual' };

/** tf.equal, tf.greater...: a bool tensor with no gradient. */
export function tfCompare(site: CallSite, op: '==' | '!=' | '>' | '>=' | '<' | '<=', a: PyValue, b: PyValue, opName: string): TensorValue {
  const [x, y] = tfOperands(site, COMPARE_KERNELS[op], a, b);
  if (x.dtype === 'bool' && op !== '==' && op !== '!=') throw noKernel(COMPARE_KERNELS[op], 'bool');
  return binaryOp(site, op as BinaryOperator, x, y, opName);
}

/** tf.maximum / tf.minimum (a tie sends the gradient to the first argument, as TF's MaximumGrad does). */
export function tfMinMax(site: CallSite, which: 'maximum' | 'minimum', a: PyValue, b: PyValue): TensorValue {
  const [x, y] = tfOperands(site, which === 'maximum' ? 'Maximum' : 'Minimum', a, b);
  requireNumeric(x, which === 'maximum' ? 'Maximum' : 'Minimum');
  return binaryFunction(site, which, x, y, which === 'maximum' ? selectMaximum : selectMinimum, TF_FLAVOUR);
}

/** tf.clip_by_value: minimum(t, max) then maximum(·, min); the gradient passes at the bounds. */
export function clipByValue(site: CallSite, value: PyValue, low: PyValue, high: PyValue): TensorValue {
  const x = T(site, value);
  const hi = convertTo(site, high, x.dtype);
  const lo = convertTo(site, low, x.dtype);
  const upper = binaryFunction(site, 'clip_max', x, hi, selectMinimum, TF_FLAVOUR);
  const lower = binaryFunction(site, 'clip_min', upper, lo, selectMaximum, TF_FLAVOUR);
  if (lower.shape.join(',') !== x.shape.join(',')) {
    throw invalidArgument(`clip_by_value: the bounds of shape [${lo.shape.join(', ')}] and [${hi.shape.join(', ')}] would broadcast the values of shape [${x.shape.join(', ')}] to [${lower.shape.join(', ')}]`);
  }
  return lower;
}

/** tf.where(condition, x, y): condition must be bool; x and y share a dtype and broadcast. */
export function tfWhere(site: CallSite, condition: PyValue, a: PyValue, b: PyValue): TensorValue {
  const cond = T(site, condition);
  if (cond.dtype !== 'bool') throw invalidArgument(`tf.where: condition must be a bool tensor, got ${cond.dtype}`);
  if (a === null && b === null) {
    // indices of the true entries, int64 [n, rank]
    const data = cond.tensor.dataSync();
    const rows: number[][] = [];
    const strides = cond.shape.map((_, i) => cond.shape.slice(i + 1).reduce((p, d) => p * d, 1));
    for (let i = 0; i < data.length; i++) if (data[i]) rows.push(strides.map((s, k) => Math.floor(i / s) % cond.shape[k]));
    return site.rt.apply(site, 'where', [cond], () => tf.tensor2d(rows.flat(), [rows.length, cond.rank], 'int32'), { dtype: 'int64', gradient: 'cut' });
  }
  if (a === null || b === null) throw valueError('x and y must both be non-None or both be None.');
  const [x, y] = tfOperands(site, 'SelectV2', a, b);
  const shape = broadcastShape(broadcastShape(cond.shape, x.shape), y.shape);
  const fits = (s: number[]) => s.every((d, i) => d === 1 || d === shape[shape.length - s.length + i]);
  if (!fits(cond.shape) || !fits(x.shape) || !fits(y.shape)) {
    throw invalidArgument(`condition [${cond.shape.join(',')}], then [${x.shape.join(',')}], and else [${y.shape.join(',')}] must be broadcastable [Op:SelectV2]`);
  }
  site.rt.guard.checkTensorElements(shape, 'the result of where');
  const broadcast = [cond, x, y].some((t) => t.shape.join(',') !== shape.join(','));
  return site.rt.apply(site, 'where', [cond, x, y], ([m, p, q]) => selectWhere(m, p, q), { dtype: x.dtype, broadcast });
}

export function tfCast(site: CallSite, value: PyValue, dtypeValue: PyValue): TensorValue {
  const dtype = tfDtype(dtypeValue);
  if (!dtype) throw typeError('tf.cast: dtype must be given');
  const x = T(site, value);
  return asTf(castTensor(site, x, dtype, 'cast'));
}

export function stopGradient(site: CallSite, value: PyValue): TensorValue {
  const x = T(site, value);
  return site.rt.apply(site, 'stop_gradient', [x], ([t]) => tf.clone(t), { dtype: x.dtype, gradient: 'cut' });
}

/** tf.math.divide_no_nan: x / y, and 0 (with a zero gradient) where y == 0. */
export function divideNoNan(site: CallSite, a: PyValue, b: PyValue): TensorValue {
  const [x, y] = tfOperands(site, 'DivNoNan', a, b);
  requireFloat(x, 'DivNoNan');
  return site.rt.apply(site, 'divide_no_nan', [x, y], ([p, q]) => {
    const zero = tf.equal(q, 0);
    const safe = selectWhere(zero, tf.onesLike(q), q);
    const shape = tf.broadcastTo(tf.div(p, safe), broadcastShape(p.shape, q.shape));
    return selectWhere(zero, tf.zerosLike(shape), shape);
  }, { dtype: x.dtype, broadcast: x.shape.join(',') !== y.shape.join(',') });
}

function broadcastShape(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    return x === 1 ? y : x;
  });
}

/** Both operands broadcast to their common shape (the masks below need equal shapes). */
function broadcastBoth(p: tf.Tensor, q: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const shape = broadcastShape(p.shape, q.shape);
  return [tf.broadcastTo(p, shape), tf.broadcastTo(q, shape)];
}

/** tf.math.xlogy: x * log(y), 0 where x == 0 (gradients included, as TF's XlogyGrad). */
function xlogy(site: CallSite, a: PyValue, b: PyValue): TensorValue {
  const [x, y] = tfOperands(site, 'Xlogy', a, b);
  requireFloat(x, 'Xlogy');
  return site.rt.apply(site, 'xlogy', [x, y], ([p, q]) => {
    const [pb, qb] = broadcastBoth(p, q);
    const safe = selectWhere(tf.equal(pb, 0), tf.onesLike(qb), qb);
    return tf.mul(pb, tf.log(safe));
  }, { dtype: x.dtype, broadcast: x.shape.join(',') !== y.shape.join(',') });
}

function multiplyNoNan(site: CallSite, a: PyValue, b: PyValue): TensorValue {
  const [x, y] = tfOperands(site, 'MulNoNan', a, b);
  requireFloat(x, 'MulNoNan');
  return site.rt.apply(site, 'multiply_no_nan', [x, y], ([p, q]) => {
    const [pb, qb] = broadcastBoth(p, q);
    const zero = tf.equal(qb, 0);
    return selectWhere(zero, tf.zerosLike(pb), tf.mul(selectWhere(zero, tf.zerosLike(pb), pb), qb));
  }, { dtype: x.dtype, broadcast: x.shape.join(',') !== y.shape.join(',') });
}

function logicalBinary(site: CallSite, name: string, a: PyValue, b: PyValue, fn: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor): TensorValue {
  const x = T(site, a);
  const y = T(site, b);
  requireBool(x, 'x');
  requireBool(y, 'y');
  return binaryFunction(site, name, x, y, fn, TF_FLAVOUR, 'cut');
}

// ------------------------------------------------------------------ reductions

const REDUCE_KINDS: Record<string, ReduceKind> = {
  reduce_sum: 'sum', reduce_mean: 'mean', reduce_max: 'max', reduce_min: 'min', reduce_prod: 'prod',
  reduce_any: 'any', reduce_all: 'all', reduce_logsumexp: 'logsumexp', reduce_std: 'std', reduce_variance: 'var',
};

/** tf.reduce_*(input_tensor, axis=None, keepdims=False). */
export function tfReduce(site: CallSite, name: string, value: PyValue, axis: PyValue, keepdims: boolean): TensorValue {
  const kind = REDUCE_KINDS[name];
  const x = T(site, value);
  if (kind === 'any' || kind === 'all') requireBool(x, 'input');
  else if (x.dtype === 'bool') {
    throw typeError(`Value passed to parameter 'input' has DataType bool not in list of allowed values: float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64`);
  }
  if ((kind === 'std' || kind === 'var' || kind === 'logsumexp') && !isFloatDtype(x.dtype)) {
    throw typeError(`Input must be either real or complex. Received integer type ${x.dtype}.`);
  }
  const dims = tfAxes(axis, x.rank, name);
  if (dims !== undefined && dims.length === 0) {
    return site.rt.apply(site, name, [x], ([t]) => tf.clone(t), { dtype: x.dtype, gradient: kind === 'any' || kind === 'all' ? 'cut' : 'flow' });
  }
  if (kind === 'mean' && !isFloatDtype(x.dtype)) {
    // integer mean: the sum divided with truncation, still an integer (TF's Mean kernel)
    const count = (dims ?? x.shape.map((_, i) => i)).reduce((n, d) => n * x.shape[d], 1);
    return site.rt.apply(site, name, [x], ([t]) => {
      const q = tf.div(tf.cast(tf.sum(t, dims, keepdims), 'float32'), Math.max(count, 1));
      return tf.cast(tf.mul(tf.sign(q), tf.floor(tf.abs(q))), 'int32');
    }, { dtype: x.dtype, gradient: 'cut' });
  }
  if (kind === 'max' || kind === 'min') {
    if (x.size === 0) throw invalidArgument(`${name} of an empty tensor`);
    return site.rt.apply(site, name, [x], ([t]) => (isFloatDtype(x.dtype) ? reduceExtreme(t, kind, dims, keepdims) : (kind === 'max' ? tf.max : tf.min)(t, dims, keepdims)), { dtype: x.dtype });
  }
  return reduce(site, kind, x, dims, keepdims, { opName: name, correction: 0 });
}

export function tfArgReduce(site: CallSite, kind: 'argmax' | 'argmin', value: PyValue, axis: PyValue, outputType: PyValue): TensorValue {
  const x = T(site, value);
  requireNumeric(x, kind === 'argmax' ? 'ArgMax' : 'ArgMin');
  const dtype = tfDtype(outputType) ?? 'int64';
  if (x.rank === 0) throw invalidArgument(`${kind}: Expected a tensor of rank at least 1`);
  const a = tfAxis(axis ?? 0n, x.rank, kind);
  return site.rt.apply(site, kind, [x], ([t]) => (kind === 'argmax' ? tf.argMax(t, a) : tf.argMin(t, a)), { dtype, gradient: 'cut' });
}

function countNonzero(site: CallSite, value: PyValue, axis: PyValue, keepdims: boolean, dtypeValue: PyValue): TensorValue {
  const x = T(site, value);
  const dims = tfAxes(axis, x.rank, 'count_nonzero');
  const dtype = tfDtype(dtypeValue) ?? 'int64';
  return site.rt.apply(site, 'count_nonzero', [x], ([t]) => {
    const nz = tf.cast(x.dtype === 'bool' ? t : tf.notEqual(t, 0), 'int32');
    return dims && dims.length === 0 ? nz : tf.sum(nz, dims, keepdims);
  }, { dtype, gradient: 'cut' });
}

// ------------------------------------------------------------------ shapes and construction

export function tfShape(site: CallSite, value: PyValue, outType: PyValue = null): TensorValue {
  const x = T(site, value);
  const dtype = tfDtype(outType) ?? 'int32';
  return site.rt.constant(x.shape, [x.rank], dtype, TF_FLAVOUR);
}

export function tfReshape(site: CallSite, value: PyValue, shapeValue: PyValue): TensorValue {
  const x = T(site, value);
  const shape = shapeOf(shapeValue);
  const unknown = shape.filter((d) => d === -1).length;
  const known = shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  if (unknown > 1 || shape.some((d) => d < -1)) throw invalidArgument(`Only one input size may be -1, not both; got shape [${shape.join(', ')}]`);
  const resolved = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  if (resolved.reduce((p, d) => p * d, 1) !== x.size || resolved.some((d) => !Number.isInteger(d))) {
    throw invalidArgument(`Input to reshape is a tensor with ${x.size} values, but the requested shape ${unknown ? 'requires a multiple of' : 'has'} ${known} [Op:Reshape]`);
  }
  return reshape(site, x, resolved, 'reshape');
}

export function tfTranspose(site: CallSite, value: PyValue, perm: PyValue): TensorValue {
  const x = T(site, value);
  if (perm === null) return permute(site, x, undefined, 'transpose');
  const order = shapeOf(perm);
  if (order.length !== x.rank) throw invalidArgument(`transpose expects a vector of size ${x.rank}. But input(1) is a vector of size ${order.length}`);
  return permute(site, x, order, 'transpose');
}

export function tfExpandDims(site: CallSite, value: PyValue, axis: PyValue): TensorValue {
  const x = T(site, value);
  const a = toInt(axis, 'axis');
  if (a < -x.rank - 1 || a > x.rank) throw invalidArgument(`Tried to expand dim index ${a} for tensor with ${x.rank} dimensions. [Op:ExpandDims]`);
  return expandDims(site, x, a, 'expand_dims');
}

export function tfSqueeze(site: CallSite, value: PyValue, axis: PyValue): TensorValue {
  const x = T(site, value);
  const dims = axis === null ? undefined : (axis instanceof PyList || axis instanceof PyTuple ? axis.items : [axis]).map((v) => tfAxis(v, x.rank, 'squeeze'));
  for (const d of dims ?? []) {
    if (x.shape[d] !== 1) throw invalidArgument(`Can not squeeze dim[${d}], expected a dimension of 1, got ${x.shape[d]} [Op:Squeeze]`);
  }
  return squeeze(site, x, dims, true, 'squeeze');
}

export function tfConcat(site: CallSite, values: PyValue, axis: PyValue, opName = 'concat'): TensorValue {
  const items = sameDtype(site, 'ConcatV2', [...listOf(site, values, 'concat')]);
  if (!items.length) throw valueError('concat: at least one tensor is needed');
  if (items[0].rank === 0) throw invalidArgument('Can\'t concatenate scalars (use tf.stack instead)');
  return concat(site, items, tfAxis(axis, items[0].rank, 'concat'), opName);
}

export function tfStack(site: CallSite, values: PyValue, axis: PyValue, opName = 'stack'): TensorValue {
  const items = sameDtype(site, 'Pack', [...listOf(site, values, 'stack')]);
  if (!items.length) throw valueError('stack: at least one tensor is needed');
  const a = toInt(axis, 'axis');
  const rank = items[0].rank + 1;
  if (a < -rank || a >= rank) throw valueError(`Argument \`axis\` = ${a} not in range [${-rank}, ${rank})`);
  return stack(site, items, a < 0 ? a + rank : a, opName);
}

function unstackTensor(site: CallSite, x: TensorValue, axis: number): PyValue[] {
  const a = tfAxis(axis, x.rank, 'unstack');
  return Array.from({ length: x.shape[a] }, (_, i) =>
    site.rt.apply(site, 'unstack', [x], ([t]) => tf.squeeze(tf.slice(t, x.shape.map((_, k) => (k === a ? i : 0)), x.shape.map((d, k) => (k === a ? 1 : d))), [a]), { dtype: x.dtype }));
}

export function tfOneHot(site: CallSite, indicesValue: PyValue, depthValue: PyValue, onValue: PyValue, offValue: PyValue, axisValue: PyValue, dtypeValue: PyValue): TensorValue {
  const indices = T(site, indicesValue);
  if (!(indices.dtype === 'uint8' || indices.dtype === 'int32' || indices.dtype === 'int64' || indices.dtype === 'int8')) {
    throw typeError(`Value passed to parameter 'indices' has DataType ${indices.dtype} not in list of allowed values: uint8, int8, int32, int64 (cast the labels to an integer type first)`);
  }
  const depth = toInt(depthValue, 'depth');
  if (depth < 0) throw invalidArgument(`depth must be non-negative, got: ${depth}`);
  let dtype = tfDtype(dtypeValue);
  if (!dtype) dtype = isTfTensor(onValue) ? onValue.dtype : isTfTensor(offValue) ? offValue.dtype : 'float32';
  const on = onValue === null ? 1 : toFloat(onValue, 'on_value');
  const off = offValue === null ? 0 : toFloat(offValue, 'off_value');
  const outRank = indices.rank + 1;
  const axis = axisValue === null ? -1 : toInt(axisValue, 'axis');
  if (axis < -1 || axis >= outRank) throw invalidArgument(`Expected axis to be -1 or between [0, ${outRank}).  But received: ${axis}`);
  site.rt.guard.checkTensorElements([...indices.shape, depth], 'one_hot');
  const storage = storageDtype(dtype);
  return site.rt.apply(site, 'one_hot', [indices], ([t]) => {
    // tf.oneHot's dtype argument is not honoured by every backend (wasm writes int bits): build
    // the 0/1 pattern as int32, then on/off values in the wanted storage type.
    const flat = tf.cast(tf.oneHot(tf.cast(tf.reshape(t, [-1]), 'int32'), depth), storage === 'bool' ? 'int32' : storage);
    const scaled = on === 1 && off === 0 ? flat : tf.add(tf.mul(flat, on - off), off);
    const hot = tf.reshape(scaled, [...indices.shape, depth]);
    if (axis === -1 || axis === indices.rank) return hot;
    const perm = Array.from({ length: indices.rank }, (_, i) => i);
    perm.splice(axis, 0, indices.rank);
    return tf.transpose(hot, perm);
  }, { dtype, gradient: 'cut' });
}

function tfGather(site: CallSite, paramsValue: PyValue, indicesValue: PyValue, axisValue: PyValue, batchDims: PyValue): TensorValue {
  const params = T(site, paramsValue);
  const indices = T(site, indicesValue);
  if (!isIntDtype(indices.dtype)) throw typeError(`Value passed to parameter 'indices' has DataType ${indices.dtype} not in list of allowed values: int16, int32, int64`);
  if (toInt(batchDims) !== 0) throw new InterpreterError('unsupported', 'unsupported: tf.gather with batch_dims');
  const axis = axisValue === null ? 0 : tfAxis(axisValue, params.rank, 'gather');
  const size = params.shape[axis];
  const positions = Array.from(indices.tensor.dataSync(), Number);
  for (const p of positions) if (p < 0 || p >= size) throw invalidArgument(`indices = ${p} is not in [0, ${size}) [Op:GatherV2]`);
  const outShape = [...params.shape.slice(0, axis), ...indices.shape, ...params.shape.slice(axis + 1)];
  site.rt.guard.checkTensorElements(outShape, 'gather');
  return site.rt.apply(site, 'gather', [params], ([t]) => tf.reshape(gatherAlong(t, positions, axis), outShape), { dtype: params.dtype });
}

function tfGatherNd(site: CallSite, paramsValue: PyValue, indicesValue: PyValue, batchDims: PyValue): TensorValue {
  const params = T(site, paramsValue);
  const indices = T(site, indicesValue);
  if (!isIntDtype(indices.dtype)) throw typeError(`gather_nd indices must be integers, got ${indices.dtype}`);
  if (toInt(batchDims) !== 0) throw new InterpreterError('unsupported', 'unsupported: tf.gather_nd with batch_dims');
  const depth = indices.shape[indices.rank - 1] ?? 0;
  if (depth > params.rank) throw invalidArgument(`index innermost dimension length must be <= params rank; saw: ${depth} vs. ${params.rank}`);
  const lead = params.shape.slice(0, depth);
  const strides = lead.map((_, i) => lead.slice(i + 1).reduce((p, d) => p * d, 1));
  const data = Array.from(indices.tensor.dataSync(), Number);
  const flat: number[] = [];
  for (let i = 0; i < data.length; i += depth) {
    let offset = 0;
    for (let k = 0; k < depth; k++) {
      const v = data[i + k];
      if (v < 0 || v >= lead[k]) throw invalidArgument(`indices[${i / depth}] = [${data.slice(i, i + depth).join(', ')}] does not index into param shape [${params.shape.join(', ')}]`);
      offset += v * strides[k];
    }
    flat.push(offset);
  }
  const rest = params.shape.slice(depth);
  const outShape = [...indices.shape.slice(0, -1), ...rest];
  site.rt.guard.checkTensorElements(outShape, 'gather_nd');
  const merged = lead.reduce((p, d) => p * d, 1);
  return site.rt.apply(site, 'gather_nd', [params], ([t]) => tf.reshape(gatherAlong(tf.reshape(t, [merged, ...rest]), flat, 0), outShape), { dtype: params.dtype });
}

function tfBooleanMask(site: CallSite, tensorValue: PyValue, maskValue: PyValue, axisValue: PyValue): TensorValue {
  const x = T(site, tensorValue);
  const mask = T(site, maskValue);
  if (mask.dtype !== 'bool') throw typeError(`boolean_mask: mask must be a bool tensor, got ${mask.dtype}`);
  const axis = axisValue === null ? 0 : tfAxis(axisValue, x.rank, 'boolean_mask');
  if (mask.rank === 0) throw valueError('mask cannot be scalar.');
  const want = x.shape.slice(axis, axis + mask.rank);
  if (want.join(',') !== mask.shape.join(',')) throw valueError(`Shapes (${want.join(', ')}) and (${mask.shape.join(', ')}) are incompatible`);
  const index = new PyTuple([...Array.from({ length: axis }, () => new PySlice(null, null, null)), mask]);
  return indexTensor(site, x, index);
}

function tfFill(site: CallSite, dims: PyValue, value: PyValue): TensorValue {
  const shape = shapeOf(dims);
  const v = T(site, value);
  if (v.rank !== 0) throw invalidArgument('value must be a scalar');
  if (v.requiresGrad) return broadcastTo(site, v, shape, 'fill');
  return filled(site, shape, toFloat(v), v.dtype, TF_FLAVOUR, 'fill');
}

export function tfConstant(site: CallSite, value: PyValue, dtypeValue: PyValue, shapeValue: PyValue): TensorValue {
  const dtype = tfDtype(dtypeValue);
  // an eager tensor passes through unchanged (its gradient too); other values take the dtype
  let x = convertTo(site, value, dtype);
  if (shapeValue !== null) {
    const shape = shapeOf(shapeValue);
    if (x.size === 1) x = x.rank === 0 && !x.requiresGrad ? filled(site, shape, toFloat(x), x.dtype, TF_FLAVOUR, 'constant') : broadcastTo(site, reshape(site, x, []), shape, 'constant');
    else if (shape.reduce((p, d) => p * d, 1) === x.size) x = reshape(site, x, shape, 'constant');
    else throw typeError(`Eager execution of tf.constant with unsupported shape. Tried to convert a tensor with ${x.size} elements to shape [${shape.join(', ')}]`);
  }
  return x;
}

/** tf.Variable / K.variable: a copy of the value (the loss's gradient never reaches it). */
export function variableOf(site: CallSite, value: PyValue, dtype: LogicalDtype | undefined): TensorValue {
  const x = isTensor(value) ? asTf(value) : convertTo(site, value, dtype);
  const cast = dtype && x.dtype !== dtype ? castTensor(site, x, dtype) : x;
  return site.rt.apply(site, 'Variable', [cast], ([t]) => tf.clone(t), { dtype: cast.dtype, gradient: 'cut', flavour: TF_FLAVOUR });
}

function tfRange(site: CallSite, start: PyValue, limit: PyValue, delta: PyValue, dtypeValue: PyValue): TensorValue {
  const [s, e] = limit === null ? [0, toFloat(start)] : [toFloat(start), toFloat(limit)];
  const anyFloat = [start, limit, delta].some((v) => typeof v === 'number' || (isTensor(v) && isFloatDtype(v.dtype)));
  const dtype = tfDtype(dtypeValue) ?? (anyFloat ? 'float32' : 'int32');
  const step = toFloat(delta);
  if (step === 0) throw invalidArgument('Requires delta != 0: 0 [Op:Range]');
  return arange(site, s, e, step, dtype, TF_FLAVOUR);
}

function creation(site: CallSite, shape: PyValue, value: number, dtypeValue: PyValue, name: string): TensorValue {
  return filled(site, shapeOf(shape), value, tfDtype(dtypeValue) ?? 'float32', TF_FLAVOUR, name);
}

export function onesLike(site: CallSite, value: PyValue, dtypeValue: PyValue, fill: number, name: string): TensorValue {
  const x = T(site, value);
  return zerosLike(site, x, fill, tfDtype(dtypeValue) ?? x.dtype, name);
}

// ------------------------------------------------------------------ products and contractions

export function tfMatmul(site: CallSite, aValue: PyValue, bValue: PyValue, transposeA: boolean, transposeB: boolean): TensorValue {
  let [a, b] = tfOperands(site, 'BatchMatMulV2', aValue, bValue);
  if (a.rank < 2 || b.rank < 2) throw invalidArgument(`In[0] and In[1] must have rank >= 2, but got shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] [Op:MatMul]`);
  const swapLast = (x: TensorValue) => permute(site, x, [...x.shape.slice(0, -2).map((_, i) => i), x.rank - 1, x.rank - 2], 'transpose');
  if (transposeA) a = swapLast(a);
  if (transposeB) b = swapLast(b);
  if (a.shape[a.rank - 1] !== b.shape[b.rank - 2]) {
    throw invalidArgument(`Matrix size-incompatible: In[0]: [${a.shape.join(',')}], In[1]: [${b.shape.join(',')}] [Op:MatMul]`);
  }
  return binaryOp(site, '@', a, b, 'matmul');
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** tf.tensordot as an einsum: `axes` an int N (last N of a with first N of b) or a pair of axis lists. */
export function tfTensordot(site: CallSite, aValue: PyValue, bValue: PyValue, axesValue: PyValue): TensorValue {
  const [a, b] = tfOperands(site, 'MatMul', aValue, bValue);
  let axesA: number[];
  let axesB: number[];
  if (axesValue instanceof PyList || axesValue instanceof PyTuple) {
    if (axesValue.items.length !== 2) throw valueError('`axes` must be an integer or have length 2');
    const pick = (v: PyValue) => (v instanceof PyList || v instanceof PyTuple ? v.items.map((i) => toInt(i)) : [toInt(v)]);
    axesA = pick(axesValue.items[0]);
    axesB = pick(axesValue.items[1]);
  } else {
    const n = toInt(axesValue, 'axes');
    if (n < 0 || n > a.rank || n > b.rank) throw valueError(`'axes' must be at most the rank of a and b, got ${n}`);
    axesA = Array.from({ length: n }, (_, i) => a.rank - n + i);
    axesB = Array.from({ length: n }, (_, i) => i);
  }
  axesA = axesA.map((x) => (x < 0 ? x + a.rank : x));
  axesB = axesB.map((x) => (x < 0 ? x + b.rank : x));
  if (axesA.length !== axesB.length) throw valueError('tensordot: both axis lists must have the same length');
  if (a.rank + b.rank > LETTERS.length) throw new InterpreterError('unsupported', 'unsupported: tensordot of tensors of such high rank');
  const specA = LETTERS.slice(0, a.rank).split('');
  const specB = LETTERS.slice(a.rank, a.rank + b.rank).split('');
  axesA.forEach((ax, i) => {
    if (a.shape[ax] !== b.shape[axesB[i]]) throw invalidArgument(`tensordot: dimension ${ax} of a (${a.shape[ax]}) does not match dimension ${axesB[i]} of b (${b.shape[axesB[i]]})`);
    specB[axesB[i]] = specA[ax];
  });
  const out = [...specA.filter((_, i) => !axesA.includes(i)), ...specB.filter((_, i) => !axesB.includes(i))].join('');
  return einsumOp(site, `${specA.join('')},${specB.join('')}->${out}`, [a, b], TF_FLAVOUR);
}

// ------------------------------------------------------------------ nn: cross-entropies, normalisation

/** The SoftmaxCrossEntropyWithLogits kernel: its gradient is softmax(logits) - labels (not rescaled by Σ labels). */
const softmaxXentKernel = (axis: number) => tf.customGrad(((labels: tf.Tensor, logits: tf.Tensor, save: tf.GradSaveFunc) => {
  const logp = tf.sub(logits, tf.logSumExp(logits, axis, true));
  save([labels, logp]);
  return {
    value: tf.neg(tf.sum(tf.mul(labels, logp), axis)),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [y, lp] = saved;
      const g = tf.expandDims(dy, axis);
      return [tf.mul(g, tf.neg(lp)), tf.mul(g, tf.sub(tf.exp(lp), y))];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]);

export function softmaxCrossEntropy(site: CallSite, labelsValue: PyValue, logitsValue: PyValue, axisValue: PyValue): TensorValue {
  const logits = T(site, logitsValue);
  requireFloat(logits, 'SoftmaxCrossEntropyWithLogits');
  const labels = convertTo(site, labelsValue, logits.dtype);
  if (labels.dtype !== logits.dtype) throw invalidArgument(`labels and logits must have the same dtype (${labels.dtype} vs ${logits.dtype})`);
  const shape = broadcastShape(labels.shape, logits.shape);
  const ok = (s: number[]) => s.every((d, i) => d === shape[shape.length - s.length + i] || d === 1);
  if (labels.rank !== logits.rank || !ok(labels.shape) || !ok(logits.shape)) {
    throw invalidArgument(`logits and labels must be broadcastable: logits_size=[${logits.shape.join(',')}] labels_size=[${labels.shape.join(',')}] [Op:SoftmaxCrossEntropyWithLogits]`);
  }
  if (logits.rank === 0) throw invalidArgument('logits must have at least one dimension');
  const axis = tfAxis(axisValue, logits.rank, 'softmax_cross_entropy_with_logits');
  const broadcast = labels.shape.join(',') !== logits.shape.join(',');
  return site.rt.apply(site, 'softmax_cross_entropy_with_logits', [labels, logits], ([y, z]) =>
    softmaxXentKernel(axis)(tf.broadcastTo(y, shape), tf.broadcastTo(z, shape)) as tf.Tensor, { dtype: logits.dtype, broadcast, roles: ['target', 'prediction'], attributes: { axis } });
}

export function sparseSoftmaxCrossEntropy(site: CallSite, labelsValue: PyValue, logitsValue: PyValue): TensorValue {
  const logits = T(site, logitsValue);
  requireFloat(logits, 'SparseSoftmaxCrossEntropyWithLogits');
  const labels = T(site, labelsValue);
  if (!(labels.dtype === 'int32' || labels.dtype === 'int64')) throw typeError(`Value passed to parameter 'labels' has DataType ${labels.dtype} not in list of allowed values: int32, int64`);
  if (logits.rank === 0 || labels.shape.join(',') !== logits.shape.slice(0, -1).join(',')) {
    throw invalidArgument(`Shape mismatch: The shape of labels (received (${labels.shape.join(', ')})) should equal the shape of logits except for the last dimension (received (${logits.shape.join(', ')})).`);
  }
  const classes = logits.shape[logits.rank - 1];
  const values = labels.tensor.dataSync();
  for (const v of values) {
    if (v < 0 || v >= classes) throw invalidArgument(`Received a label value of ${v} which is outside the valid range of [0, ${classes}).  Label values: ${Array.from(values).slice(0, 20).join(' ')}${values.length > 20 ? ' ...' : ''} [Op:SparseSoftmaxCrossEntropyWithLogits]`);
  }
  site.rt.guard.checkTensorElements(logits.shape, 'sparse_softmax_cross_entropy_with_logits');
  return site.rt.apply(site, 'sparse_softmax_cross_entropy_with_logits', [labels, logits], ([y, z]) => {
    const hot = tf.cast(tf.oneHot(tf.cast(tf.reshape(y, [-1]), 'int32'), classes), 'float32');
    const logp = tf.reshape(tf.sub(z, tf.logSumExp(z, -1, true)), [-1, classes]);
    return tf.reshape(tf.neg(tf.sum(tf.mul(hot, logp), -1)), labels.shape);
  }, { dtype: logits.dtype, roles: ['target', 'prediction'] });
}

/** tf.nn.sigmoid_cross_entropy_with_logits, written as TF writes it (relu(z) - z·y + log1p(exp(-|z|))). */
export function sigmoidCrossEntropy(site: CallSite, labelsValue: PyValue, logitsValue: PyValue): TensorValue {
  const logits = T(site, logitsValue);
  const labels = convertTo(site, labelsValue, logits.dtype);
  if (labels.dtype !== logits.dtype) throw invalidArgument(`cannot compute Mul as input #1(zero-based) was expected to be a ${logits.dtype} tensor but is a ${labels.dtype} tensor [Op:Mul]`);
  requireFloat(logits, 'SigmoidCrossEntropyWithLogits');
  if (labels.shape.join(',') !== logits.shape.join(',')) {
    throw valueError(`\`logits\` and \`labels\` must have the same shape, received (${logits.shape.join(', ')}) vs (${labels.shape.join(', ')}).`);
  }
  return site.rt.apply(site, 'sigmoid_cross_entropy_with_logits', [labels, logits], ([y, z]) => {
    const zeros = tf.zerosLike(z);
    const cond = tf.greaterEqual(z, zeros);
    const reluLogits = selectWhere(cond, z, zeros);
    const negAbs = selectWhere(cond, tf.neg(z), z);
    return tf.add(tf.sub(reluLogits, tf.mul(z, y)), tf.log1p(tf.exp(negAbs)));
  }, { dtype: logits.dtype, roles: ['target', 'prediction'] });
}

function weightedCrossEntropy(site: CallSite, labelsValue: PyValue, logitsValue: PyValue, posWeight: PyValue): TensorValue {
  const logits = T(site, logitsValue);
  requireFloat(logits, 'WeightedCrossEntropyWithLogits');
  const labels = convertTo(site, labelsValue, logits.dtype);
  const pw = convertTo(site, posWeight, logits.dtype);
  if (labels.dtype !== logits.dtype || pw.dtype !== logits.dtype) throw invalidArgument('labels, logits and pos_weight must share a dtype');
  if (labels.shape.join(',') !== logits.shape.join(',')) throw valueError(`logits and labels must have the same shape (${logits.shape.join(', ')}) vs (${labels.shape.join(', ')})`);
  return site.rt.apply(site, 'weighted_cross_entropy_with_logits', [labels, logits, pw], ([y, z, w]) => {
    const logWeight = tf.add(1, tf.mul(tf.sub(w, 1), y));
    return tf.add(tf.mul(tf.sub(1, y), z), tf.mul(logWeight, tf.add(tf.log1p(tf.exp(tf.neg(absSignGrad(z)))), tf.relu(tf.neg(z)))));
  }, { dtype: logits.dtype, roles: ['target', 'prediction', 'weight'] });
}

export function tfSoftmax(site: CallSite, value: PyValue, axis: PyValue, log = false): TensorValue {
  const x = T(site, value);
  requireFloat(x, log ? 'LogSoftmax' : 'Softmax');
  if (x.rank === 0) throw invalidArgument('logits must have >= 1 dimension, got []');
  const a = axis === null ? -1 : toInt(axis, 'axis');
  if (a < -x.rank || a >= x.rank) throw invalidArgument(`\`axis\` must be in the range [${-x.rank}, ${x.rank}) where ${x.rank} is the number of dimensions in the input. Received: axis=${a}`);
  return log ? logSoftmax(site, x, a, 'log_softmax') : softmaxOp(site, x, a, 'softmax');
}

/** tf.math.l2_normalize: x * rsqrt(max(Σ x², epsilon)) over `axis` (all axes for None). */
export function l2Normalize(site: CallSite, value: PyValue, axis: PyValue, epsilon: number): TensorValue {
  const x = T(site, value);
  requireFloat(x, 'L2Normalize');
  const dims = tfAxes(axis, x.rank, 'l2_normalize');
  return site.rt.apply(site, 'l2_normalize', [x], ([t]) => {
    const sq = tf.sum(tf.mul(t, t), dims, true);
    return tf.mul(t, tf.rsqrt(tf.maximum(sq, tf.scalar(epsilon))));
  }, { dtype: x.dtype });
}

function norm(site: CallSite, value: PyValue, ord: PyValue, axis: PyValue, keepdims: boolean): TensorValue {
  const x = T(site, value);
  requireFloat(x, 'Norm');
  const dims = tfAxes(axis, x.rank, 'norm');
  const p = ord === 'euclidean' || ord === 'fro' || ord === null ? 2 : toFloat(ord, 'ord');
  return site.rt.apply(site, 'norm', [x], ([t]) => {
    if (p === 1) return tf.sum(absSignGrad(t), dims, keepdims);
    if (p === Infinity) return reduceExtreme(absSignGrad(t), 'max', dims, keepdims);
    if (p === 2) return tf.sqrt(tf.sum(tf.mul(t, t), dims, keepdims));
    return tf.pow(tf.sum(tf.pow(absSignGrad(t), p), dims, keepdims), 1 / p);
  }, { dtype: x.dtype });
}

function moments(site: CallSite, value: PyValue, axes: PyValue, keepdims: boolean): PyValue {
  const x = T(site, value);
  requireFloat(x, 'Moments');
  const dims = tfAxes(axes, x.rank, 'moments');
  const mean = reduce(site, 'mean', x, dims, keepdims, { opName: 'moments' });
  const variance = reduce(site, 'var', x, dims, keepdims, { opName: 'moments', correction: 0 });
  return new PyTuple([mean, variance]);
}

// ------------------------------------------------------------------ the function tables

type Impl = (a: Bound, site: CallSite) => PyValue;
const top = new Map<string, PyValue>();
const math = new Map<string, PyValue>();
const nn = new Map<string, PyValue>();
const linalg = new Map<string, PyValue>();

function fn(tables: Map<string, PyValue>[], name: string, spec: readonly string[], impl: Impl, qualified = `tf.${name}`): BuiltinFunction {
  const f = def(qualified, spec, impl);
  for (const t of tables) t.set(name, f);
  return f;
}
const TOP_MATH = [top, math];

for (const name of Object.keys(REDUCE_KINDS)) {
  fn(TOP_MATH, name, ['input_tensor', 'axis=None', 'keepdims=False', 'name=None'], (a, site) => tfReduce(site, name, a.input_tensor, a.axis, truthy(a.keepdims)), `tf.math.${name}`);
}
fn(TOP_MATH, 'argmax', ['input', 'axis=None', 'output_type=None', 'name=None'], (a, site) => tfArgReduce(site, 'argmax', a.input, a.axis, a.output_type));
fn(TOP_MATH, 'argmin', ['input', 'axis=None', 'output_type=None', 'name=None'], (a, site) => tfArgReduce(site, 'argmin', a.input, a.axis, a.output_type));
fn(TOP_MATH, 'count_nonzero', ['input', 'axis=None', 'keepdims=None', 'dtype=None', 'name=None'], (a, site) => countNonzero(site, a.input, a.axis, truthy(a.keepdims), a.dtype));

const FLOAT_UNARY: Record<string, (t: tf.Tensor) => tf.Tensor> = {
  exp: tf.exp, log: tf.log, log1p: tf.log1p, expm1: tf.expm1, sqrt: tf.sqrt, rsqrt: tf.rsqrt, sigmoid: tf.sigmoid, tanh: tf.tanh,
  softplus: tf.softplus, softsign: (t) => tf.div(t, tf.add(1, tf.abs(t))), log_sigmoid: (t) => tf.neg(tf.softplus(tf.neg(t))),
  sin: tf.sin, cos: tf.cos, tan: tf.tan, sinh: tf.sinh, cosh: tf.cosh, erf: tf.erf, atan: tf.atan, asin: tf.asin, acos: tf.acos,
  elu: tf.elu, selu: tf.selu,
};
for (const [name, f] of Object.entries(FLOAT_UNARY)) fn(TOP_MATH, name, ['x', 'name=None'], (a, site) => tfUnary(site, name, a.x, f));
top.delete('log'); // tf.log is TensorFlow 1 only (tf.math.log in TF 2)
nn.set('sigmoid', math.get('sigmoid')!);
nn.set('tanh', math.get('tanh')!);
nn.set('softplus', math.get('softplus')!);
nn.set('softsign', math.get('softsign')!);
nn.set('elu', math.get('elu')!);
nn.set('selu', math.get('selu')!);
nn.set('log_sigmoid', math.get('log_sigmoid')!);
const SAME_UNARY: Record<string, (t: tf.Tensor) => tf.Tensor> = { abs: absSignGrad, negative: tf.neg, square: (t) => tf.mul(t, t), reciprocal: tf.reciprocal };
for (const [name, f] of Object.entries(SAME_UNARY)) fn(TOP_MATH, name, ['x', 'name=None'], (a, site) => tfUnary(site, name, a.x, f, 'numeric'));
// TF registers no gradient for Round, Floor and Ceil (None: the result is disconnected); Sign's is zeros.
fn(TOP_MATH, 'round', ['x', 'name=None'], (a, site) => tfUnary(site, 'round', a.x, tf.round, 'numeric', 'cut'));
fn(TOP_MATH, 'floor', ['x', 'name=None'], (a, site) => tfUnary(site, 'floor', a.x, tf.floor, 'float', 'cut'));
fn(TOP_MATH, 'ceil', ['x', 'name=None'], (a, site) => tfUnary(site, 'ceil', a.x, tf.ceil, 'float', 'cut'));
fn(TOP_MATH, 'sign', ['x', 'name=None'], (a, site) => tfUnary(site, 'sign', a.x, tf.sign, 'numeric', 'zero'));
fn([top, math, nn], 'relu', ['features', 'name=None'], (a, site) => tfUnary(site, 'relu', a.features, tf.relu, 'numeric'));
fn([nn], 'relu6', ['features', 'name=None'], (a, site) => tfUnary(site, 'relu6', a.features, tf.relu6, 'numeric'), 'tf.nn.relu6');
fn([nn], 'leaky_relu', ['features', 'alpha=0.2', 'name=None'], (a, site) => tfUnary(site, 'leaky_relu', a.features, (t) => tf.leakyRelu(t, toFloat(a.alpha))), 'tf.nn.leaky_relu');
fn([nn, math], 'silu', ['features', 'beta=1.0'], (a, site) => tfUnary(site, 'silu', a.features, (t) => tf.mul(t, tf.sigmoid(tf.mul(t, toFloat(a.beta))))), 'tf.nn.silu');
nn.set('swish', nn.get('silu')!);
for (const [name, f] of [['is_nan', tf.isNaN], ['is_inf', tf.isInf], ['is_finite', tf.isFinite]] as const) {
  fn([math], name, ['x', 'name=None'], (a, site) => predicate(site, name, a.x, f), `tf.math.${name}`);
}

const ARITH: Record<string, '+' | '-' | '*' | '/' | '**' | '%'> = {
  add: '+', subtract: '-', multiply: '*', divide: '/', truediv: '/', realdiv: '/', floormod: '%', mod: '%',
};
for (const [name, op] of Object.entries(ARITH)) fn(TOP_MATH, name, ['x', 'y', 'name=None'], (a, site) => tfArith(site, op, a.x, a.y, name));
fn(TOP_MATH, 'pow', ['x', 'y', 'name=None'], (a, site) => tfArith(site, '**', a.x, a.y, 'pow'));
fn(TOP_MATH, 'floordiv', ['x', 'y', 'name=None'], (a, site) => {
  const [x, y] = tfOperands(site, 'FloorDiv', a.x, a.y);
  requireNumeric(x, 'FloorDiv');
  // TF registers no gradient for FloorDiv
  return site.rt.apply(site, 'floordiv', [x, y], ([p, q]) => (isFloatDtype(x.dtype) ? tf.floor(tf.div(p, q)) : tf.floorDiv(p, q)), { dtype: x.dtype, gradient: 'cut', broadcast: x.shape.join(',') !== y.shape.join(',') });
});
fn(TOP_MATH, 'squared_difference', ['x', 'y', 'name=None'], (a, site) => {
  const [x, y] = tfOperands(site, 'SquaredDifference', a.x, a.y);
  requireNumeric(x, 'SquaredDifference');
  return binaryFunction(site, 'squared_difference', x, y, (p, q) => tf.squaredDifference(p, q), TF_FLAVOUR);
});
fn(TOP_MATH, 'scalar_mul', ['scalar', 'x', 'name=None'], (a, site) => tfArith(site, '*', a.x, a.scalar, 'scalar_mul'));
fn(TOP_MATH, 'add_n', ['inputs', 'name=None'], (a, site) => {
  const items = sameDtype(site, 'AddN', (a.inputs instanceof PyList || a.inputs instanceof PyTuple) ? [...a.inputs.items] : [a.inputs]);
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
  equal: '==', not_equal: '!=', greater: '>', greater_equal: '>=', less: '<', less_equal: '<=',
};
for (const [name, op] of Object.entries(COMPARE)) fn(TOP_MATH, name, ['x', 'y', 'name=None'], (a, site) => tfCompare(site, op, a.x, a.y, name));
fn(TOP_MATH, 'logical_and', ['x', 'y', 'name=None'], (a, site) => logicalBinary(site, 'logical_and', a.x, a.y, tf.logicalAnd));
fn(TOP_MATH, 'logical_or', ['x', 'y', 'name=None'], (a, site) => logicalBinary(site, 'logical_or', a.x, a.y, tf.logicalOr));
fn(TOP_MATH, 'logical_xor', ['x', 'y', 'name=\'LogicalXor\''], (a, site) => logicalBinary(site, 'logical_xor', a.x, a.y, tf.logicalXor));
fn(TOP_MATH, 'logical_not', ['x', 'name=None'], (a, site) => {
  const x = T(site, a.x);
  requireBool(x, 'x');
  return site.rt.apply(site, 'logical_not', [x], ([t]) => tf.logicalNot(t), { dtype: 'bool', gradient: 'cut' });
});

fn(TOP_MATH, 'cumsum', ['x', 'axis=0', 'exclusive=False', 'reverse=False', 'name=None'], (a, site) => {
  const x = T(site, a.x);
  requireNumeric(x, 'Cumsum');
  const axis = tfAxis(a.axis, x.rank, 'cumsum');
  return site.rt.apply(site, 'cumsum', [x], ([t]) => tf.cumsum(t, axis, truthy(a.exclusive), truthy(a.reverse)), { dtype: x.dtype });
});

fn([top], 'clip_by_value', ['t', 'clip_value_min', 'clip_value_max', 'name=None'], (a, site) => clipByValue(site, a.t, a.clip_value_min, a.clip_value_max));
fn([top], 'where', ['condition', 'x=None', 'y=None', 'name=None'], (a, site) => tfWhere(site, a.condition, a.x, a.y));
fn([top], 'cast', ['x', 'dtype', 'name=None'], (a, site) => tfCast(site, a.x, a.dtype));
fn([top], 'stop_gradient', ['input', 'name=None'], (a, site) => stopGradient(site, a.input));
fn([top], 'identity', ['input', 'name=None'], (a, site) => {
  const x = T(site, a.input);
  return site.rt.apply(site, 'identity', [x], ([t]) => tf.clone(t), { dtype: x.dtype });
});
fn([top, linalg], 'einsum', ['equation', '*inputs', '**kwargs'], (a, site) => {
  let operands = (a.inputs as PyTuple).items;
  if (operands.length === 1 && (operands[0] instanceof PyList || operands[0] instanceof PyTuple)) operands = (operands[0] as PyList).items;
  const items = sameDtype(site, 'Einsum', [...operands]);
  return einsumOp(site, String(a.equation), items, TF_FLAVOUR);
});
fn([top, linalg], 'matmul', ['a', 'b', 'transpose_a=False', 'transpose_b=False', 'adjoint_a=False', 'adjoint_b=False', 'a_is_sparse=False', 'b_is_sparse=False', 'output_type=None', 'name=None'], (a, site) =>
  tfMatmul(site, a.a, a.b, truthy(a.transpose_a) || truthy(a.adjoint_a), truthy(a.transpose_b) || truthy(a.adjoint_b)));
fn([top, linalg], 'tensordot', ['a', 'b', 'axes', 'name=None'], (a, site) => tfTensordot(site, a.a, a.b, a.axes));
fn([top, linalg, math], 'norm', ['tensor', "ord='euclidean'", 'axis=None', 'keepdims=None', 'name=None'], (a, site) => norm(site, a.tensor, a.ord, a.axis, truthy(a.keepdims)));
fn([math, nn, linalg], 'l2_normalize', ['x', 'axis=None', 'epsilon=1e-12', 'name=None', 'dim=None'], (a, site) => l2Normalize(site, a.x, a.axis ?? a.dim, toFloat(a.epsilon)));
fn([linalg], 'matrix_transpose', ['a', 'name=\'matrix_transpose\'', 'conjugate=False'], (a, site) => {
  const x = T(site, a.a);
  if (x.rank < 2) throw valueError('Argument `a` should be a (batch) matrix with rank >= 2');
  return permute(site, x, [...x.shape.slice(0, -2).map((_, i) => i), x.rank - 1, x.rank - 2], 'matrix_transpose');
});

// shapes
fn([top], 'shape', ['input', 'out_type=None', 'name=None'], (a, site) => tfShape(site, a.input, a.out_type));
fn([top], 'size', ['input', 'out_type=None', 'name=None'], (a, site) => site.rt.constant([T(site, a.input).size], [], tfDtype(a.out_type) ?? 'int32', TF_FLAVOUR));
fn([top], 'rank', ['input', 'name=None'], (a, site) => site.rt.constant([T(site, a.input).rank], [], 'int32', TF_FLAVOUR));
fn([top], 'reshape', ['tensor', 'shape', 'name=None'], (a, site) => tfReshape(site, a.tensor, a.shape));
fn([top, linalg], 'transpose', ['a', 'perm=None', 'conjugate=False', 'name=\'transpose\''], (a, site) => tfTranspose(site, a.a, a.perm));
fn([top], 'expand_dims', ['input', 'axis', 'name=None'], (a, site) => tfExpandDims(site, a.input, a.axis));
fn([top], 'squeeze', ['input', 'axis=None', 'name=None'], (a, site) => tfSqueeze(site, a.input, a.axis));
fn([top], 'concat', ['values', 'axis', 'name=\'concat\''], (a, site) => tfConcat(site, a.values, a.axis));
fn([top], 'stack', ['values', 'axis=0', 'name=\'stack\''], (a, site) => tfStack(site, a.values, a.axis));
fn([top], 'unstack', ['value', 'num=None', 'axis=0', 'name=\'unstack\''], (a, site) => new PyList(unstackTensor(site, T(site, a.value), toInt(a.axis))));
fn([top], 'split', ['value', 'num_or_size_splits', 'axis=0', 'num=None', 'name=\'split\''], (a, site) => {
  const x = T(site, a.value);
  const axis = tfAxis(a.axis, x.rank, 'split');
  const size = x.shape[axis];
  let sizes: number[];
  if (a.num_or_size_splits instanceof PyList || a.num_or_size_splits instanceof PyTuple || isTensor(a.num_or_size_splits)) {
    sizes = shapeOf(a.num_or_size_splits);
    const unknown = sizes.indexOf(-1);
    if (unknown >= 0) sizes[unknown] = size - sizes.reduce((p, d, i) => (i === unknown ? p : p + d), 0);
    if (sizes.reduce((p, d) => p + d, 0) !== size) throw invalidArgument(`Determined shape must either match input shape along split_dim exactly if fully specified, or be less than the size of the input along split_dim if not fully specified.  Got: ${sizes.reduce((p, d) => p + d, 0)}`);
  } else {
    const n = toInt(a.num_or_size_splits);
    if (n <= 0 || size % n !== 0) throw invalidArgument(`Number of ways to split should evenly divide the split dimension, but got split_dim ${axis} (size = ${size}) and num_split ${n}`);
    sizes = Array(n).fill(size / n);
  }
  let start = 0;
  return new PyList(sizes.map((s) => {
    const begin = start;
    start += s;
    return site.rt.apply(site, 'split', [x], ([t]) => tf.slice(t, x.shape.map((_, i) => (i === axis ? begin : 0)), x.shape.map((d, i) => (i === axis ? s : d))), { dtype: x.dtype });
  }));
});
fn([top], 'tile', ['input', 'multiples', 'name=None'], (a, site) => {
  const x = T(site, a.input);
  const reps = shapeOf(a.multiples);
  if (reps.length !== x.rank) throw invalidArgument(`Expected multiples argument to be a vector of length ${x.rank} but got length ${reps.length} [Op:Tile]`);
  return tile(site, x, reps, 'tile');
});
fn([top], 'broadcast_to', ['input', 'shape', 'name=None'], (a, site) => broadcastTo(site, T(site, a.input), shapeOf(a.shape), 'broadcast_to'));
fn([top], 'reverse', ['tensor', 'axis', 'name=None'], (a, site) => {
  const x = T(site, a.tensor);
  const dims = tfAxes(a.axis, x.rank, 'reverse') ?? [];
  return site.rt.apply(site, 'reverse', [x], ([t]) => (dims.length ? tf.reverse(t, dims) : tf.clone(t)), { dtype: x.dtype });
});
fn([top], 'pad', ['tensor', 'paddings', "mode='CONSTANT'", 'constant_values=0', 'name=None'], (a, site) => {
  const x = T(site, a.tensor);
  if (String(a.mode).toUpperCase() !== 'CONSTANT') throw new InterpreterError('unsupported', `unsupported: tf.pad with mode='${String(a.mode)}'`);
  const flat = shapeOf(a.paddings instanceof PyList || a.paddings instanceof PyTuple ? new PyList(a.paddings.items.flatMap((p) => (p instanceof PyList || p instanceof PyTuple ? [...p.items] : [p]))) : a.paddings);
  if (flat.length !== 2 * x.rank) throw invalidArgument(`The first dimension of paddings must be the rank of inputs [${x.rank},2]`);
  const pairs = Array.from({ length: x.rank }, (_, i) => [flat[2 * i], flat[2 * i + 1]] as [number, number]);
  site.rt.guard.checkTensorElements(x.shape.map((d, i) => d + pairs[i][0] + pairs[i][1]), 'pad');
  return site.rt.apply(site, 'pad', [x], ([t]) => tf.pad(t, pairs, toFloat(a.constant_values)), { dtype: x.dtype });
});
fn([top], 'gather', ['params', 'indices', 'validate_indices=None', 'axis=None', 'batch_dims=0', 'name=None'], (a, site) => tfGather(site, a.params, a.indices, a.axis, a.batch_dims));
fn([top], 'gather_nd', ['params', 'indices', 'batch_dims=0', 'name=None'], (a, site) => tfGatherNd(site, a.params, a.indices, a.batch_dims));
fn([top], 'boolean_mask', ['tensor', 'mask', 'axis=None', 'name=\'boolean_mask\''], (a, site) => tfBooleanMask(site, a.tensor, a.mask, a.axis));
fn([top], 'one_hot', ['indices', 'depth', 'on_value=None', 'off_value=None', 'axis=None', 'dtype=None', 'name=None'], (a, site) =>
  tfOneHot(site, a.indices, a.depth, a.on_value, a.off_value, a.axis, a.dtype));

// construction
fn([top], 'ones', ['shape', 'dtype=None', 'name=None'], (a, site) => creation(site, a.shape, 1, a.dtype, 'ones'));
fn([top], 'zeros', ['shape', 'dtype=None', 'name=None'], (a, site) => creation(site, a.shape, 0, a.dtype, 'zeros'));
fn([top], 'ones_like', ['input', 'dtype=None', 'name=None'], (a, site) => onesLike(site, a.input, a.dtype, 1, 'ones_like'));
fn([top], 'zeros_like', ['input', 'dtype=None', 'name=None'], (a, site) => onesLike(site, a.input, a.dtype, 0, 'zeros_like'));
fn([top], 'fill', ['dims', 'value', 'name=None'], (a, site) => tfFill(site, a.dims, a.value));
fn([top], 'constant', ['value', 'dtype=None', 'shape=None', "name='Const'"], (a, site) => tfConstant(site, a.value, a.dtype, a.shape));
fn([top], 'convert_to_tensor', ['value', 'dtype=None', 'dtype_hint=None', 'name=None'], (a, site) => {
  const dtype = tfDtype(a.dtype);
  if (dtype || isTensor(a.value)) return convertTo(site, a.value, dtype);
  const hint = tfDtype(a.dtype_hint);
  if (hint) {
    try {
      return convertTo(site, a.value, hint);
    } catch {
      return T(site, a.value);
    }
  }
  return T(site, a.value);
});
fn([top], 'range', ['start', 'limit=None', 'delta=1', 'dtype=None', "name='range'"], (a, site) => tfRange(site, a.start, a.limit, a.delta, a.dtype));
fn([top, linalg], 'eye', ['num_rows', 'num_columns=None', 'batch_shape=None', 'dtype=None', 'name=None'], (a, site) => {
  const n = toInt(a.num_rows);
  const m = a.num_columns === null ? n : toInt(a.num_columns);
  return eye(site, n, m, tfDtype(a.dtype) ?? 'float32', TF_FLAVOUR);
});
fn([top], 'linspace', ['start', 'stop', 'num', 'name=None', 'axis=0'], (a, site) => linspace(site, toFloat(a.start), toFloat(a.stop), toInt(a.num), 'float32', TF_FLAVOUR));
fn([top], 'is_tensor', ['x'], (a) => isTfTensor(a.x));

// nn
fn([nn, math], 'softmax', ['logits', 'axis=None', 'name=None'], (a, site) => tfSoftmax(site, a.logits, a.axis), 'tf.nn.softmax');
fn([nn, math], 'log_softmax', ['logits', 'axis=None', 'name=None'], (a, site) => tfSoftmax(site, a.logits, a.axis, true), 'tf.nn.log_softmax');
fn([nn], 'softmax_cross_entropy_with_logits', ['labels', 'logits', 'axis=-1', 'name=None'], (a, site) => softmaxCrossEntropy(site, a.labels, a.logits, a.axis), 'tf.nn.softmax_cross_entropy_with_logits');
fn([nn], 'sparse_softmax_cross_entropy_with_logits', ['labels=None', 'logits=None', 'name=None'], (a, site) => sparseSoftmaxCrossEntropy(site, a.labels, a.logits), 'tf.nn.sparse_softmax_cross_entropy_with_logits');
fn([nn], 'sigmoid_cross_entropy_with_logits', ['labels=None', 'logits=None', 'name=None'], (a, site) => sigmoidCrossEntropy(site, a.labels, a.logits), 'tf.nn.sigmoid_cross_entropy_with_logits');
fn([nn], 'weighted_cross_entropy_with_logits', ['labels', 'logits', 'pos_weight', 'name=None'], (a, site) => weightedCrossEntropy(site, a.labels, a.logits, a.pos_weight), 'tf.nn.weighted_cross_entropy_with_logits');
fn([nn], 'moments', ['x', 'axes', 'shift=None', 'keepdims=False', 'name=None'], (a, site) => moments(site, a.x, a.axes, truthy(a.keepdims)), 'tf.nn.moments');

// control flow and eager utilities
const identityDecorator = new BuiltinFunction('tf.function.decorator', (args) => args.positional[0] ?? null);
fn([top], 'function', ['func=None', 'input_signature=None', 'autograph=True', 'jit_compile=None', 'reduce_retracing=False', '**kwargs'], (a) => (a.func === null ? identityDecorator : a.func));
fn([top], 'print', ['*inputs', '**kwargs'], () => null);
fn([top], 'executing_eagerly', [], () => true);
fn([top], 'is_symbolic_tensor', ['tensor'], () => false);
fn([top], 'cond', ['pred', 'true_fn=None', 'false_fn=None', 'name=None'], (a, site) => {
  const branch = truthy(a.pred) ? a.true_fn : a.false_fn;
  return branch === null ? null : site.rt.call(branch, { positional: [], keywords: new Map() }, site.range);
});
fn([top], 'map_fn', ['fn', 'elems', 'dtype=None', 'parallel_iterations=None', 'back_prop=True', 'swap_memory=False', 'infer_shape=True', 'name=None', 'fn_output_signature=None'], (a, site) => {
  const elems = T(site, a.elems);
  const results = unstackTensor(site, elems, 0).map((e) => site.rt.call(a.fn, { positional: [e], keywords: new Map() }, site.range));
  return tfStack(site, new PyList(results), 0n, 'map_fn');
});
top.set('vectorized_map', def('tf.vectorized_map', ['fn', 'elems', 'fallback_to_while_loop=True', 'warn=True'], (a, site) =>
  site.rt.call(top.get('map_fn')!, { positional: [a.fn, a.elems], keywords: new Map() }, site.range)));

/** A context manager that does nothing (tf.name_scope, tf.control_dependencies, tf.device). */
export const NULL_CONTEXT = new PyClass('NullContext', [OBJECT_CLASS], new Map<string, PyValue>([
  ['__init__', def('__init__', ['self', '*args', '**kwargs'], () => null)],
  ['__enter__', def('__enter__', ['self'], () => null)],
  ['__exit__', def('__exit__', ['self', '*args'], () => false)],
]), undefined, 'tensorflow.name_scope');
for (const name of ['name_scope', 'control_dependencies', 'device', 'GradientTape']) top.set(name, name === 'GradientTape' ? new PyOpaque('tensorflow.GradientTape') : NULL_CONTEXT);

export const TF_TENSOR_CLASS = new PyClass('Tensor', [OBJECT_CLASS], new Map<string, PyValue>(), undefined, 'tensorflow.Tensor');
TYPE_CLASSES.set(TF_TENSOR_CLASS, (v) => isTensor(v) && v.flavour === TF_FLAVOUR);
const VARIABLE_CLASS = new PyClass('Variable', [OBJECT_CLASS], new Map<string, PyValue>([
  ['__new__', def('tf.Variable', ['cls', 'initial_value=None', 'trainable=None', 'validate_shape=True', 'caching_device=None', 'name=None', 'variable_def=None', 'dtype=None', '**kwargs'], (a, site) =>
    variableOf(site, a.initial_value, tfDtype(a.dtype)))],
]), undefined, 'tensorflow.Variable');
top.set('Tensor', TF_TENSOR_CLASS);
top.set('Variable', VARIABLE_CLASS);
top.set('TensorShape', def('tf.TensorShape', ['dims'], (a) => new PyTuple(a.dims === null ? [] : shapeOf(a.dims).map(BigInt), 'TensorShape')));
top.set('newaxis', null);
top.set('__version__', '2.15.0');

// dtypes
const TF_DTYPES: Record<string, LogicalDtype> = {
  float16: 'float16', half: 'float16', float32: 'float32', float64: 'float64', double: 'float64', bfloat16: 'float16',
  int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64', uint8: 'uint8', bool: 'bool',
};
const dtypes = new Map<string, PyValue>();
for (const [name, dtype] of Object.entries(TF_DTYPES)) {
  const object = dtypeObject(TF_FLAVOUR, dtype);
  object.attrs.set('is_floating', isFloatDtype(dtype));
  object.attrs.set('is_integer', isIntDtype(dtype));
  object.attrs.set('is_bool', dtype === 'bool');
  object.attrs.set('is_unsigned', dtype === 'uint8' || dtype === 'bool');
  object.attrs.set('base_dtype', object);
  object.attrs.set('size', BigInt({ float16: 2, float32: 4, float64: 8, uint8: 1, int8: 1, int16: 2, int32: 4, int64: 8, bool: 1 }[dtype]));
  object.attrs.set('as_numpy_dtype', dtypeObject('numpy', dtype));
  top.set(name, object);
  dtypes.set(name, object);
}
const asDtype = def('tf.as_dtype', ['type_value'], (a) => {
  const dtype = tfDtype(a.type_value);
  if (!dtype) throw typeError(`Cannot convert None to a TensorFlow DType.`);
  return dtypeObject(TF_FLAVOUR, dtype);
});
top.set('as_dtype', asDtype);
dtypes.set('as_dtype', asDtype);
dtypes.set('cast', top.get('cast')!);
dtypes.set('DType', new PyOpaque('tensorflow.dtypes.DType'));

// ------------------------------------------------------------------ tf.Tensor attributes

function tensorShape(x: TensorValue): PyTuple {
  return new PyTuple(x.shape.map((d) => BigInt(d)), 'TensorShape');
}

registerTensorAttributes(TF_FLAVOUR, {
  shape: tensorProperty((x) => tensorShape(x)),
  dtype: tensorProperty((x) => dtypeObject(TF_FLAVOUR, x.dtype)),
  ndim: tensorProperty((x) => BigInt(x.rank)),
  device: tensorProperty(() => '/job:localhost/replica:0/task:0/device:CPU:0'),
  get_shape: tensorMethod((x, args) => {
    bindArgs('Tensor.get_shape', args, []);
    return tensorShape(x);
  }),
  set_shape: tensorMethod((x, args) => {
    const { shape } = bindArgs('Tensor.set_shape', args, ['shape']);
    const dims = shape instanceof PyList || shape instanceof PyTuple ? shape.items : [];
    if (dims.length !== x.rank || dims.some((d, i) => d !== null && toInt(d) !== x.shape[i])) {
      throw valueError(`Tensor's shape (${x.shape.join(', ')}) is not compatible with supplied shape ${repr(shape)}.`);
    }
    return null;
  }),
  numpy: tensorMethod((x, args, site) => {
    bindArgs('Tensor.numpy', args, []);
    return site.rt.apply(site, 'numpy', [x], ([t]) => tf.clone(t), { dtype: x.dtype, gradient: 'cut', flavour: 'numpy' });
  }),
});

/**
 * Methods of torch tensors and numpy arrays that an eager tf.Tensor does not have: calling them on
 * a TF tensor (y_pred.sum(), y_pred.view(...), y_true.long()) raises AttributeError in TF.
 */
const NOT_TF_ATTRIBUTES = [
  'sum', 'mean', 'max', 'min', 'prod', 'std', 'var', 'any', 'all', 'argmax', 'argmin', 'cumsum', 'abs', 'exp', 'log', 'sqrt',
  'pow', 'clamp', 'clip', 'round', 'floor', 'sign', 'sigmoid', 'softmax', 'log_softmax', 'view', 'view_as', 'reshape', 'flatten',
  'ravel', 'transpose', 'permute', 'squeeze', 'unsqueeze', 'expand', 'expand_as', 'repeat', 'T', 'astype', 'item', 'tolist',
  'detach', 'cpu', 'cuda', 'to', 'float', 'double', 'long', 'int', 'bool', 'type', 'type_as', 'contiguous', 'size', 'dim',
  'numel', 'nelement', 'requires_grad', 'grad', 'backward', 'data', 'masked_fill', 'gather', 'scatter', 'scatter_', 'eq',
  'ne', 'gt', 'ge', 'lt', 'le', 'add', 'sub', 'mul', 'div', 'norm', 'new_zeros', 'new_ones', 'new_full', 'new_tensor',
  'clone', 'copy', 'fill_', 'zero_', 'add_', 'mul_', 'sub_', 'div_', 'clamp_', 'square', 'matmul', 'dot', 'split',
  'chunk', 'unbind', 'nonzero', 'isnan', 'is_floating_point', 'logical_not', 'where',
];
const TF_SPELLING: Record<string, string> = {
  sum: 'tf.reduce_sum', mean: 'tf.reduce_mean', max: 'tf.reduce_max', min: 'tf.reduce_min', prod: 'tf.reduce_prod',
  any: 'tf.reduce_any', all: 'tf.reduce_all', std: 'tf.math.reduce_std', var: 'tf.math.reduce_variance',
  argmax: 'tf.argmax', argmin: 'tf.argmin', view: 'tf.reshape', reshape: 'tf.reshape', flatten: 'tf.reshape',
  permute: 'tf.transpose', transpose: 'tf.transpose', unsqueeze: 'tf.expand_dims', squeeze: 'tf.squeeze',
  long: 'tf.cast', int: 'tf.cast', float: 'tf.cast', double: 'tf.cast', bool: 'tf.cast', type: 'tf.cast', astype: 'tf.cast',
  to: 'tf.cast', detach: 'tf.stop_gradient', clamp: 'tf.clip_by_value', clip: 'tf.clip_by_value', item: '.numpy()',
  tolist: '.numpy()', size: '.shape', dim: 'len(x.shape)', numel: 'tf.size', softmax: 'tf.nn.softmax', sigmoid: 'tf.sigmoid',
};
const notTfAttribute = (name: string) => tensorProperty(() => {
  const hint = TF_SPELLING[name] ? ` (a torch/numpy method; in TensorFlow use ${TF_SPELLING[name]})` : '';
  throw new InterpreterError('python', `AttributeError: 'tensorflow.python.framework.ops.EagerTensor' object has no attribute '${name}'${hint}`, undefined, 'AttributeError');
});
registerTensorAttributes(TF_FLAVOUR, Object.fromEntries(NOT_TF_ATTRIBUTES.map((name) => [name, notTfAttribute(name)])));

// ------------------------------------------------------------------ registration

/**
 * A module namespace whose unknown names are submodules when registered, opaque values otherwise
 * (tf.config, tf.data, keras.layers...: harmless until a loss actually uses them).
 */
export class NamespaceMap extends Map<string, PyValue> {
  constructor(private readonly prefix: string, entries: Iterable<readonly [string, PyValue]>, private readonly missing?: (name: string) => PyValue | undefined) {
    super(entries);
  }

  /** Every name resolves (to a submodule or an opaque value); `get` decides which. */
  override has(_name: string): boolean {
    return true;
  }

  override get(name: string): PyValue | undefined {
    if (super.has(name)) return super.get(name);
    const sub = getModule(`${this.prefix}.${name}`);
    if (sub) return sub;
    return this.missing?.(name) ?? new PyOpaque(`${this.prefix}.${name}`);
  }
}

/** TF1 names that TF2 removed: AttributeError, as `import tensorflow as tf` (2.x) raises. */
const TF1_ONLY: Record<string, string> = {
  log: 'tf.math.log', to_float: 'tf.cast(x, tf.float32)', to_int32: 'tf.cast(x, tf.int32)', to_int64: 'tf.cast(x, tf.int64)',
  to_double: 'tf.cast(x, tf.float64)', div: 'tf.math.divide', Session: 'eager execution', InteractiveSession: 'eager execution',
  placeholder: 'function arguments', global_variables_initializer: 'eager execution', variable_scope: 'tf.name_scope',
  get_variable: 'tf.Variable', reduce_join: 'tf.strings.reduce_join',
};
const tf1Missing = (name: string): PyValue | undefined => {
  const instead = TF1_ONLY[name];
  if (instead) throw new InterpreterError('python', `AttributeError: module 'tensorflow' has no attribute '${name}' (a TensorFlow 1 API; in TF 2 use ${instead}, or tf.compat.v1.${name})`, undefined, 'AttributeError');
  return undefined;
};

/** tf.compat.v1: the TF2 table plus the TF1 spellings loss code still uses. */
function compatV1(): Map<string, PyValue> {
  const v1 = new Map<string, PyValue>(top);
  for (const [name, value] of math) if (!v1.has(name)) v1.set(name, value);
  const cast = (dtype: LogicalDtype) => (a: Bound, site: CallSite) => tfCast(site, a.x, dtypeObject(TF_FLAVOUR, dtype));
  v1.set('log', math.get('log')!);
  v1.set('div', math.get('divide')!);
  v1.set('to_float', def('tf.compat.v1.to_float', ['x', "name='ToFloat'"], cast('float32')));
  v1.set('to_int32', def('tf.compat.v1.to_int32', ['x', "name='ToInt32'"], cast('int32')));
  v1.set('to_int64', def('tf.compat.v1.to_int64', ['x', "name='ToInt64'"], cast('int64')));
  v1.set('to_double', def('tf.compat.v1.to_double', ['x', "name='ToDouble'"], cast('float64')));
  for (const name of Object.keys(REDUCE_KINDS)) {
    v1.set(name, def(`tf.compat.v1.${name}`, ['input_tensor', 'axis=None', 'keepdims=None', 'name=None', 'reduction_indices=None', 'keep_dims=None'], (a, site) =>
      tfReduce(site, name, a.input_tensor, a.axis ?? a.reduction_indices, truthy(a.keepdims ?? a.keep_dims))));
  }
  v1.set('disable_eager_execution', new BuiltinFunction('tf.compat.v1.disable_eager_execution', () => null));
  v1.set('enable_eager_execution', new BuiltinFunction('tf.compat.v1.enable_eager_execution', () => null));
  v1.set('disable_v2_behavior', new BuiltinFunction('tf.compat.v1.disable_v2_behavior', () => null));
  return v1;
}

/** Reads a tensor's values for an assertion (TF evaluates eager assertions immediately). */
function assertionFailed(message: PyValue, what: string): InterpreterError {
  const prefix = typeof message === 'string' && message ? `${message}\n` : '';
  return invalidArgument(`${prefix}${what}`);
}

const COMPARE_ASSERTS: Record<string, [string, (x: number, y: number) => boolean]> = {
  assert_equal: ['x == y', (x, y) => x === y], assert_none_equal: ['x != y', (x, y) => x !== y],
  assert_greater: ['x > y', (x, y) => x > y], assert_greater_equal: ['x >= y', (x, y) => x >= y],
  assert_less: ['x < y', (x, y) => x < y], assert_less_equal: ['x <= y', (x, y) => x <= y],
};
const SIGN_ASSERTS: Record<string, [string, (x: number) => boolean]> = {
  assert_positive: ['x > 0', (x) => x > 0], assert_non_negative: ['x >= 0', (x) => x >= 0],
  assert_negative: ['x < 0', (x) => x < 0], assert_non_positive: ['x <= 0', (x) => x <= 0],
};

/**
 * tf.debugging: eager assertions check their condition and raise InvalidArgumentError as TF does;
 * check_numerics raises on NaN/Inf; everything else about debugging is a no-op.
 */
function debuggingFunction(name: string): PyValue {
  if (COMPARE_ASSERTS[name]) {
    const [what, ok] = COMPARE_ASSERTS[name];
    return def(`tf.debugging.${name}`, ['x', 'y', 'message=None', 'summarize=None', 'name=None'], (a, site) => {
      const [x, y] = tfOperands(site, 'Assert', a.x, a.y);
      const shape = broadcastShape(x.shape, y.shape);
      const xs = tf.tidy(() => tf.broadcastTo(x.tensor, shape).dataSync());
      const ys = tf.tidy(() => tf.broadcastTo(y.tensor, shape).dataSync());
      for (let i = 0; i < xs.length; i++) if (!ok(Number(xs[i]), Number(ys[i]))) throw assertionFailed(a.message, `Condition ${what} did not hold element-wise: x = [${Array.from(xs).slice(0, 6).join(' ')}] y = [${Array.from(ys).slice(0, 6).join(' ')}]`);
      return null;
    });
  }
  if (SIGN_ASSERTS[name]) {
    const [what, ok] = SIGN_ASSERTS[name];
    return def(`tf.debugging.${name}`, ['x', 'message=None', 'summarize=None', 'name=None'], (a, site) => {
      const data = T(site, a.x).tensor.dataSync();
      for (const v of data) if (!ok(Number(v))) throw assertionFailed(a.message, `Condition ${what} did not hold element-wise: x = [${Array.from(data).slice(0, 6).join(' ')}]`);
      return null;
    });
  }
  if (name === 'assert_rank') {
    return def('tf.debugging.assert_rank', ['x', 'rank', 'message=None', 'name=None'], (a, site) => {
      const x = T(site, a.x);
      if (x.rank !== toInt(a.rank, 'rank')) throw assertionFailed(a.message, `Tensor must have rank ${toInt(a.rank)}. Received rank ${x.rank}, shape (${x.shape.join(', ')})`);
      return null;
    });
  }
  if (name === 'assert_all_finite' || name === 'check_numerics') {
    const spec = name === 'check_numerics' ? ['tensor', 'message', 'name=None'] : ['x', 'message', 'name=None'];
    return def(`tf.debugging.${name}`, spec, (a, site) => {
      const x = T(site, name === 'check_numerics' ? a.tensor : a.x);
      if (isFloatDtype(x.dtype)) {
        const data = x.tensor.dataSync();
        const bad = Array.from(data).find((v) => !Number.isFinite(v));
        if (bad !== undefined) throw invalidArgument(`${typeof a.message === 'string' ? a.message : ''} : Tensor had ${Number.isNaN(bad) ? 'NaN' : 'Inf'} values`);
      }
      return x;
    });
  }
  if (name.startsWith('assert') || name === 'enable_check_numerics' || name === 'disable_check_numerics' || name === 'set_log_device_placement') {
    return new BuiltinFunction(`tf.debugging.${name}`, () => null);
  }
  return new PyOpaque(`tensorflow.debugging.${name}`);
}

class DebuggingMap extends Map<string, PyValue> {
  override has(_name: string): boolean {
    return true;
  }

  override get(name: string): PyValue | undefined {
    if (!super.has(name)) super.set(name, debuggingFunction(name));
    return super.get(name);
  }
}

for (const name of ['assert_equal', 'assert_greater', 'assert_less', 'assert_rank']) top.set(name, debuggingFunction(name));
top.set('check_numerics', debuggingFunction('check_numerics'));
registerModule('tensorflow', () => new NamespaceMap('tensorflow', top, tf1Missing));
registerModule('tensorflow.math', () => math);
registerModule('tensorflow.nn', () => nn);
registerModule('tensorflow.linalg', () => linalg);
registerModule('tensorflow.dtypes', () => dtypes);
registerModule('tensorflow.debugging', () => new DebuggingMap());
registerModule('tensorflow.compat', () => new NamespaceMap('tensorflow.compat', []));
registerModule('tensorflow.compat.v1', () => new NamespaceMap('tensorflow.compat.v1', compatV1()));
registerModule('tensorflow.compat.v2', () => new NamespaceMap('tensorflow.compat.v2', top));
registerModule('tensorflow.compat.v1.math', () => math);
registerModule('tensorflow.compat.v1.nn', () => nn);
registerModule('tensorflow.compat.v2.math', () => math);
registerModule('tensorflow.compat.v2.nn', () => nn);

/** The function tables, for keras.ts (K.* delegates to tf.* exactly as Keras's backend does). */
export const TF_TABLES = { top, math, nn, linalg };


