// Keras 2 on TensorFlow 2: keras.backend (K.*), keras.losses (functions, loss classes, the Loss
// base class users subclass, Reduction), keras.activations, keras.metrics' loss aliases and
// keras.utils, registered under every import path loss code uses (keras, tensorflow.keras,
// tensorflow.python.keras, tf_keras). Each K.* function follows keras/backend.py as shipped with
// TF 2.x: it delegates to the tf.* op Keras calls, so TF's dtype and gradient rules apply.
import * as tf from '@tensorflow/tfjs';
import { getAttribute } from '../attributes';
import { OBJECT_CLASS } from '../builtins';
import type { CallSite } from '../callsite';
import { indexError, invalidArgumentError, notImplementedError, valueError } from '../errors';
import { castTensor } from '../ops/coercion';
import { KERAS_EPSILON, einsum, kerasBinaryCrossentropy, kerasCategoricalCrossentropy } from '../ops/nn';
import { absSignGrad } from '../ops/select';
import { filled, eye, permute } from '../ops/shape';
import { isTensor, repr, toFloat, toInt, truthy } from '../protocols';
import { type LogicalDtype, TensorValue, isFloatDtype } from '../tensor';
import {
  BoundMethod, BuiltinFunction, PyClass, PyDict, PyFunction, PyInstance, PyList, PyTuple, type PyValue,
} from '../values';
import { type Bound, def, dtypeObject } from './common';
import { registerModule } from './registry';
import {
  NULL_CONTEXT, NamespaceMap, T, TF_FLAVOUR, TF_TABLES, clipByValue, convertTo, divideNoNan, l2Normalize, noKernel,
  onesLike, sigmoidCrossEntropy, softmaxCrossEntropy, sparseSoftmaxCrossEntropy, stopGradient, tfArgReduce, tfArith, tfCast,
  tfCompare, tfConcat, tfConstant, tfDtype, tfExpandDims, tfMinMax, tfOneHot, tfReduce, tfReshape, tfShape, tfSoftmax, tfSqueeze,
  tfStack, tfTranspose, tfUnary, tfWhere, variableOf,
} from './tensorflow';

// ------------------------------------------------------------------ backend state

/**
 * K.epsilon() / K.set_epsilon() and friends: global in Keras (keras/backend_config.py), so per
 * program here — one file's set_epsilon must not leak into the next file the worker analyses.
 */
interface KerasConfig {
  epsilon: number;
  floatx: LogicalDtype;
  imageDataFormat: string;
}

function config(site: CallSite): KerasConfig {
  let state = site.rt.programState.get('keras') as KerasConfig | undefined;
  if (!state) site.rt.programState.set('keras', (state = { epsilon: KERAS_EPSILON, floatx: 'float32', imageDataFormat: 'channels_last' }));
  return state;
}

const floatx = (site: CallSite): LogicalDtype => config(site).floatx;

/** Loss tensors carrying a Keras mask (sparse_categorical_crossentropy with ignore_class). */
const kerasMasks = new WeakMap<TensorValue, TensorValue>();

const backend = new Map<string, PyValue>();

function K(name: string, spec: readonly string[], impl: (a: Bound, site: CallSite) => PyValue): BuiltinFunction {
  const f = def(`keras.backend.${name}`, spec, impl);
  backend.set(name, f);
  return f;
}

const isCallable = (v: PyValue) => v instanceof PyFunction || v instanceof BoundMethod || v instanceof BuiltinFunction || v instanceof PyClass || (v instanceof PyInstance && v.cls.lookup('__call__') !== undefined);
const call = (site: CallSite, f: PyValue, positional: PyValue[], keywords = new Map<string, PyValue>()) => site.rt.call(f, { positional, keywords }, site.range);

// ------------------------------------------------------------------ configuration

K('epsilon', [], (_a, site) => config(site).epsilon);
K('set_epsilon', ['value'], (a, site) => {
  config(site).epsilon = toFloat(a.value, 'epsilon');
  return null;
});
K('floatx', [], (_a, site) => config(site).floatx);
K('set_floatx', ['value'], (a, site) => {
  const dtype = tfDtype(a.value);
  if (!dtype || !isFloatDtype(dtype)) throw valueError(`Unknown \`floatx\` value: ${repr(a.value)}. Expected one of {'float16', 'float32', 'float64'}`);
  config(site).floatx = dtype;
  return null;
});
K('image_data_format', [], (_a, site) => config(site).imageDataFormat);
K('set_image_data_format', ['data_format'], (a, site) => {
  if (a.data_format !== 'channels_last' && a.data_format !== 'channels_first') throw valueError(`Unknown \`data_format\`: ${repr(a.data_format)}. Expected one of {'channels_first', 'channels_last'}`);
  config(site).imageDataFormat = String(a.data_format);
  return null;
});
K('image_dim_ordering', [], (_a, site) => (config(site).imageDataFormat === 'channels_last' ? 'tf' : 'th'));
K('backend', [], () => 'tensorflow');
K('learning_phase', [], () => 0n);
for (const name of ['set_learning_phase', 'clear_session', 'manual_variable_initialization', 'set_session', 'reset_uids']) K(name, ['*args', '**kwargs'], () => null);
backend.set('name_scope', NULL_CONTEXT);

// ------------------------------------------------------------------ conversion and metadata

K('cast', ['x', 'dtype'], (a, site) => tfCast(site, a.x, a.dtype));
K('cast_to_floatx', ['x'], (a, site) => {
  if (isTensor(a.x) && a.x.flavour === TF_FLAVOUR) return tfCast(site, a.x, dtypeObject(TF_FLAVOUR, floatx(site)));
  const t = convertTo(site, a.x, undefined);
  const cast = castTensor(site, t, floatx(site));
  return new TensorValue(cast.tensor, cast.dtype, 'numpy', cast.origin, false, cast.producer);
});
K('constant', ['value', 'dtype=None', 'shape=None', 'name=None'], (a, site) => tfConstant(site, a.value, a.dtype ?? floatx(site), a.shape));
K('variable', ['value', 'dtype=None', 'name=None', 'constraint=None'], (a, site) => variableOf(site, a.value, tfDtype(a.dtype) ?? floatx(site)));
K('is_tensor', ['x'], (a) => isTensor(a.x) && a.x.flavour === TF_FLAVOUR);
K('is_keras_tensor', ['x'], (a) => {
  if (!isTensor(a.x)) throw valueError(`Unexpectedly found an instance of type \`${repr(a.x)}\`. Expected a symbolic tensor instance.`);
  return false;
});
K('int_shape', ['x'], (a, site) => new PyTuple(T(site, a.x).shape.map((d) => BigInt(d))));
K('shape', ['x'], (a, site) => tfShape(site, a.x));
K('ndim', ['x'], (a, site) => BigInt(T(site, a.x).rank));
K('dtype', ['x'], (a, site) => T(site, a.x).dtype);
K('count_params', ['x'], (a, site) => BigInt(T(site, a.x).size));
for (const name of ['get_value', 'eval']) {
  K(name, ['x'], (a, site) => {
    const x = T(site, a.x);
    return site.rt.apply(site, 'numpy', [x], ([t]) => tf.clone(t), { dtype: x.dtype, gradient: 'cut', flavour: 'numpy' });
  });
}
K('print_tensor', ['x', "message=''", 'summarize=3'], (a) => a.x);
K('stop_gradient', ['variables'], (a, site) => {
  if (a.variables instanceof PyList || a.variables instanceof PyTuple) return new PyList(a.variables.items.map((v) => stopGradient(site, v)));
  return stopGradient(site, a.variables);
});

// ------------------------------------------------------------------ construction

K('zeros', ['shape', 'dtype=None', 'name=None'], (a, site) => filled(site, shapeList(a.shape), 0, tfDtype(a.dtype) ?? floatx(site), TF_FLAVOUR, 'zeros'));
K('ones', ['shape', 'dtype=None', 'name=None'], (a, site) => filled(site, shapeList(a.shape), 1, tfDtype(a.dtype) ?? floatx(site), TF_FLAVOUR, 'ones'));
K('eye', ['size', 'dtype=None', 'name=None'], (a, site) => {
  const dims = a.size instanceof PyList || a.size instanceof PyTuple ? a.size.items.map((v) => toInt(v)) : [toInt(a.size), toInt(a.size)];
  return eye(site, dims[0], dims[1] ?? dims[0], tfDtype(a.dtype) ?? floatx(site), TF_FLAVOUR);
});
K('zeros_like', ['x', 'dtype=None', 'name=None'], (a, site) => onesLike(site, a.x, a.dtype, 0, 'zeros_like'));
K('ones_like', ['x', 'dtype=None', 'name=None'], (a, site) => onesLike(site, a.x, a.dtype, 1, 'ones_like'));
K('arange', ['start', 'stop=None', 'step=1', "dtype='int32'"], (a, site) =>
  call(site, TF_TABLES.top.get('range')!, [a.start, a.stop, a.step], new Map([['dtype', a.dtype]])));

function shapeList(value: PyValue): number[] {
  if (value instanceof PyList || value instanceof PyTuple) return value.items.map((v) => toInt(v, 'shape'));
  if (isTensor(value)) return Array.from(value.tensor.dataSync(), Number);
  return [toInt(value, 'shape')];
}

// ------------------------------------------------------------------ reductions

const asFloatIfBool = (site: CallSite, value: PyValue): TensorValue => {
  const x = T(site, value);
  return x.dtype === 'bool' ? tfCast(site, x, dtypeObject(TF_FLAVOUR, floatx(site))) : x;
};
const REDUCTIONS: Record<string, string> = { sum: 'reduce_sum', prod: 'reduce_prod', max: 'reduce_max', min: 'reduce_min', logsumexp: 'reduce_logsumexp' };
for (const [name, op] of Object.entries(REDUCTIONS)) {
  K(name, ['x', 'axis=None', 'keepdims=False'], (a, site) => tfReduce(site, op, a.x, a.axis, truthy(a.keepdims)));
}
// K.mean/var/std cast bool tensors to floatx first (K.sum does not: TF refuses to sum bools).
for (const [name, op] of [['mean', 'reduce_mean'], ['var', 'reduce_variance'], ['std', 'reduce_std']] as const) {
  K(name, ['x', 'axis=None', 'keepdims=False'], (a, site) => tfReduce(site, op, asFloatIfBool(site, a.x), a.axis, truthy(a.keepdims)));
}
for (const [name, op] of [['any', 'reduce_any'], ['all', 'reduce_all']] as const) {
  K(name, ['x', 'axis=None', 'keepdims=False'], (a, site) => tfReduce(site, op, tfCast(site, a.x, 'bool'), a.axis, truthy(a.keepdims)));
}
K('argmax', ['x', 'axis=-1'], (a, site) => tfArgReduce(site, 'argmax', a.x, a.axis, null));
K('argmin', ['x', 'axis=-1'], (a, site) => tfArgReduce(site, 'argmin', a.x, a.axis, null));
K('cumsum', ['x', 'axis=0'], (a, site) => call(site, TF_TABLES.math.get('cumsum')!, [a.x], new Map([['axis', a.axis]])));

// ------------------------------------------------------------------ elementwise

const FLOAT_OPS: Record<string, (t: tf.Tensor) => tf.Tensor> = {
  exp: tf.exp, log: tf.log, sigmoid: tf.sigmoid, tanh: tf.tanh, softplus: tf.softplus, sin: tf.sin, cos: tf.cos,
  softsign: (t) => tf.div(t, tf.add(1, tf.abs(t))),
};
for (const [name, f] of Object.entries(FLOAT_OPS)) K(name, ['x'], (a, site) => tfUnary(site, name, a.x, f));
K('square', ['x'], (a, site) => tfUnary(site, 'square', a.x, (t) => tf.mul(t, t), 'numeric'));
K('abs', ['x'], (a, site) => tfUnary(site, 'abs', a.x, absSignGrad, 'numeric'));
// TF registers no gradient for Round: K.round cuts the graph (torch.round would give zeros).
K('round', ['x'], (a, site) => tfUnary(site, 'round', a.x, tf.round, 'numeric', 'cut'));
K('sign', ['x'], (a, site) => tfUnary(site, 'sign', a.x, tf.sign, 'numeric', 'zero'));
K('sqrt', ['x'], (a, site) => {
  const x = T(site, a.x);
  const clamped = tfMinMax(site, 'maximum', x, isFloatDtype(x.dtype) ? 0 : 0n);
  return tfUnary(site, 'sqrt', clamped, tf.sqrt);
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
  equal: '==', not_equal: '!=', greater: '>', greater_equal: '>=', less: '<', less_equal: '<=',
};
for (const [name, op] of Object.entries(COMPARISONS)) K(name, ['x', 'y'], (a, site) => tfCompare(site, op, a.x, a.y, name));
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
    throw valueError(`Rank of \`condition\` should be less than or equal to rank of \`then_expression\` and \`else_expression\`. ndim(condition)=${cond.rank}, ndim(then_expression)=${thenValue.rank}`);
  }
  if (cond.rank > 1 && cond.rank < thenValue.rank) cond = tfReshape(site, cond, new PyList([...cond.shape, ...Array(thenValue.rank - cond.rank).fill(1)].map(BigInt)));
  return tfWhere(site, cond, thenValue, elseValue);
});

// ------------------------------------------------------------------ activations

K('softmax', ['x', 'axis=-1'], (a, site) => tfSoftmax(site, a.x, a.axis));
K('relu', ['x', 'alpha=0.0', 'max_value=None', 'threshold=0.0'], (a, site) => relu(site, a));
K('elu', ['x', 'alpha=1.0'], (a, site) => {
  const res = tfUnary(site, 'elu', a.x, tf.elu);
  const alpha = toFloat(a.alpha);
  if (alpha === 1) return res;
  return tfWhere(site, tfCompare(site, '>', a.x, 0, 'greater'), res, tfArith(site, '*', alpha, res, 'mul'));
});
K('hard_sigmoid', ['x'], (a, site) => clipByValue(site, tfArith(site, '+', tfArith(site, '*', a.x, 0.2, 'multiply'), 0.5, 'add'), 0, 1));
K('l2_normalize', ['x', 'axis=None'], (a, site) => l2Normalize(site, a.x, a.axis, 1e-12));

function relu(site: CallSite, a: Bound): TensorValue {
  const alpha = toFloat(a.alpha);
  const threshold = toFloat(a.threshold);
  let x = T(site, a.x);
  if (alpha !== 0 && a.max_value === null && threshold === 0) return tfUnary(site, 'leaky_relu', x, (t) => tf.leakyRelu(t, alpha));
  let negative: TensorValue | undefined;
  if (alpha !== 0) negative = tfUnary(site, 'relu', threshold !== 0 ? tfArith(site, '+', tfUnary(site, 'negative', x, tf.neg, 'numeric'), threshold, 'add') : tfUnary(site, 'negative', x, tf.neg, 'numeric'), tf.relu, 'numeric');
  let clipMax = a.max_value !== null;
  if (threshold !== 0) x = tfArith(site, '*', x, tfCast(site, tfCompare(site, '>', x, threshold, 'greater'), x.dtype), 'mul');
  else if (a.max_value !== null && toFloat(a.max_value) === 6) {
    x = tfUnary(site, 'relu6', x, tf.relu6, 'numeric');
    clipMax = false;
  } else x = tfUnary(site, 'relu', x, tf.relu, 'numeric');
  if (clipMax) x = clipByValue(site, x, 0, toFloat(a.max_value));
  if (negative) x = tfArith(site, '-', x, tfArith(site, '*', alpha, negative, 'mul'), 'sub');
  return x;
}

// ------------------------------------------------------------------ shapes

K('reshape', ['x', 'shape'], (a, site) => tfReshape(site, a.x, a.shape));
K('flatten', ['x'], (a, site) => tfReshape(site, a.x, new PyList([-1n])));
K('batch_flatten', ['x'], (a, site) => {
  const x = T(site, a.x);
  const rest = x.shape.slice(1).reduce((p, d) => p * d, 1);
  return tfReshape(site, x, new PyList([-1n, BigInt(rest)]));
});
K('permute_dimensions', ['x', 'pattern'], (a, site) => tfTranspose(site, a.x, a.pattern));
K('transpose', ['x'], (a, site) => tfTranspose(site, a.x, null));
K('expand_dims', ['x', 'axis=-1'], (a, site) => tfExpandDims(site, a.x, a.axis));
K('squeeze', ['x', 'axis'], (a, site) => tfSqueeze(site, a.x, new PyList([a.axis])));
K('concatenate', ['tensors', 'axis=-1'], (a, site) => {
  let axis = toInt(a.axis, 'axis');
  if (axis < 0) {
    const items = a.tensors instanceof PyList || a.tensors instanceof PyTuple ? a.tensors.items : [];
    const rank = items.length ? T(site, items[0]).rank : 0;
    axis = rank ? ((axis % rank) + rank) % rank : 0;
  }
  return tfConcat(site, a.tensors, BigInt(axis), 'concatenate');
});
K('stack', ['x', 'axis=0'], (a, site) => tfStack(site, a.x, a.axis));
K('one_hot', ['indices', 'num_classes'], (a, site) => tfOneHot(site, a.indices, a.num_classes, null, null, -1n, null));
K('gather', ['reference', 'indices'], (a, site) => call(site, TF_TABLES.top.get('gather')!, [a.reference, a.indices]));
K('tile', ['x', 'n'], (a, site) => call(site, TF_TABLES.top.get('tile')!, [a.x, typeof a.n === 'bigint' ? new PyList([a.n]) : a.n]));
K('reverse', ['x', 'axes'], (a, site) => call(site, TF_TABLES.top.get('reverse')!, [a.x, typeof a.axes === 'bigint' ? new PyList([a.axes]) : a.axes]));
K('repeat_elements', ['x', 'rep', 'axis'], (a, site) => {
  const x = T(site, a.x);
  const rep = toInt(a.rep, 'rep');
  const axis = toInt(a.axis, 'axis');
  const ax = axis < 0 ? axis + x.rank : axis;
  const indices = Array.from({ length: x.shape[ax] * rep }, (_, i) => BigInt(Math.floor(i / rep)));
  return call(site, TF_TABLES.top.get('gather')!, [x, new PyList(indices)], new Map([['axis', BigInt(ax)]]));
});

/** K.dot: a matmul over x's last axis and y's second-to-last (y's only axis when it is a vector). */
K('dot', ['x', 'y'], (a, site) => {
  const x = T(site, a.x);
  const y = T(site, a.y);
  if (x.rank <= 2 && y.rank <= 2) return call(site, TF_TABLES.top.get('matmul')!, [x, y]);
  return call(site, TF_TABLES.top.get('tensordot')!, [x, y, new PyList([new PyList([BigInt(x.rank - 1)]), new PyList([BigInt(y.rank - 2)])])]);
});

/** K.batch_dot: a contraction per batch entry (axes default: x's last with y's second-to-last, or last). */
K('batch_dot', ['x', 'y', 'axes=None'], (a, site) => {
  const x = T(site, a.x);
  const y = T(site, a.y);
  if (x.rank < 2 || y.rank < 2) throw valueError(`Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes ${x.shape} and ${y.shape}.`);
  if (x.dtype !== y.dtype) {
    throw invalidArgumentError(`batch_dot: x and y must share a dtype (${x.dtype} vs ${y.dtype})`);
  }
  let axes: [number, number];
  if (a.axes === null) axes = [x.rank - 1, y.rank === 2 ? y.rank - 1 : y.rank - 2];
  else if (a.axes instanceof PyList || a.axes instanceof PyTuple) axes = [toInt(a.axes.items[0]), toInt(a.axes.items[1])];
  else axes = [toInt(a.axes), toInt(a.axes)];
  const [ax, ay] = [axes[0] < 0 ? axes[0] + x.rank : axes[0], axes[1] < 0 ? axes[1] + y.rank : axes[1]];
  if (ax === 0 || ay === 0) throw valueError('Cannot perform batch_dot over axis 0 (the batch axis).');
  if (x.shape[ax] !== y.shape[ay]) throw valueError(`Cannot do batch_dot on inputs with shapes ${x.shape} and ${y.shape} with axes=${axes}. x.shape[${ax}] != y.shape[${ay}] (${x.shape[ax]} != ${y.shape[ay]}).`);
  const letters = 'bcdefghijklmnopqrstuvwxyz';
  const specX = ['a', ...letters.slice(0, x.rank - 1)];
  const specY = ['a', ...letters.slice(x.rank - 1, x.rank - 1 + y.rank - 1)];
  specY[ay] = specX[ax];
  const out = [...specX.filter((_, i) => i !== ax), ...specY.filter((_, i) => i !== 0 && i !== ay)].join('');
  const result = einsum(site, `${specX.join('')},${specY.join('')}->${out}`, [x, y], TF_FLAVOUR);
  return result.rank === 1 ? tfExpandDims(site, result, 1n) : result;
});

// ------------------------------------------------------------------ the backend's losses

const shapeText = (s: number[]) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

function sameDtypes(target: TensorValue, output: TensorValue): void {
  if (target.dtype !== output.dtype) {
    throw invalidArgumentError(`cannot compute Mul as input #1(zero-based) was expected to be a ${target.dtype} ` +
      `tensor but is a ${output.dtype} tensor [Op:Mul]`);
  }
}

/** K.categorical_crossentropy: renormalise, clip to [ε, 1-ε], -Σ target·log(output) along axis. */
function categoricalCrossentropy(
  site: CallSite, targetValue: PyValue, outputValue: PyValue, fromLogits: boolean, axisValue: PyValue,
): TensorValue {
  const target = T(site, targetValue);
  const output = T(site, outputValue);
  if (target.shape.join(',') !== output.shape.join(',')) throw valueError(`Shapes ${shapeText(target.shape)} and ${shapeText(output.shape)} are incompatible`);
  if (fromLogits) return softmaxCrossEntropy(site, target, output, axisValue);
  if (!isFloatDtype(output.dtype)) throw noKernel('Sum', output.dtype);
  sameDtypes(target, output);
  const axis = toInt(axisValue, 'axis');
  if (config(site).epsilon === KERAS_EPSILON) return kerasCategoricalCrossentropy(site, target, output, false, axis);
  const scaled = tfArith(site, '/', output, tfReduce(site, 'reduce_sum', output, axisValue, true), 'truediv');
  const clipped = clipByValue(site, scaled, config(site).epsilon, 1 - config(site).epsilon);
  const logs = tfUnary(site, 'log', clipped, tf.log);
  return tfUnary(site, 'negative', tfReduce(site, 'reduce_sum', tfArith(site, '*', target, logs, 'mul'), axisValue, false), tf.neg, 'numeric');
}

/** K.binary_crossentropy: clip to [ε, 1-ε], then -(t·log(p+ε) + (1-t)·log(1-p+ε)) elementwise. */
function binaryCrossentropy(
  site: CallSite, targetValue: PyValue, outputValue: PyValue, fromLogits: boolean,
): TensorValue {
  const target = T(site, targetValue);
  const output = T(site, outputValue);
  if (fromLogits) return sigmoidCrossEntropy(site, target, output);
  if (!isFloatDtype(output.dtype)) throw noKernel('Log', output.dtype);
  sameDtypes(target, output);
  if (config(site).epsilon === KERAS_EPSILON) return kerasBinaryCrossentropy(site, target, output, false);
  const eps = config(site).epsilon;
  const p = clipByValue(site, output, eps, 1 - eps);
  const pos = tfArith(site, '*', target, tfUnary(site, 'log', tfArith(site, '+', p, eps, 'add'), tf.log), 'mul');
  const neg = tfArith(site, '*', tfArith(site, '-', 1, target, 'sub'), tfUnary(site, 'log', tfArith(site, '+', tfArith(site, '-', 1, p, 'sub'), eps, 'add'), tf.log), 'mul');
  return tfUnary(site, 'negative', tfArith(site, '+', pos, neg, 'add'), tf.neg, 'numeric');
}

/**
 * K.sparse_categorical_crossentropy: integer labels (cast to int64), log of the clipped output as
 * logits, the class axis moved last, labels flattened when their rank is not the output's - 1.
 */
function sparseCategoricalCrossentropy(
  site: CallSite, targetValue: PyValue, outputValue: PyValue, fromLogits: boolean, axisValue: PyValue,
  ignoreClass: PyValue,
): TensorValue {
  let target = tfCast(site, targetValue, 'int64');
  let output = T(site, outputValue);
  if (!fromLogits) {
    if (!isFloatDtype(output.dtype)) throw noKernel('Log', output.dtype);
    output = tfUnary(site, 'log', clipByValue(site, output, config(site).epsilon, 1 - config(site).epsilon), tf.log);
  }
  const rank = output.rank;
  if (rank === 0) throw valueError('sparse_categorical_crossentropy: the output needs a class axis');
  let axis = toInt(axisValue, 'axis');
  axis = ((axis % rank) + rank) % rank;
  if (axis !== rank - 1) output = permute(site, output, [...Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis), axis], 'transpose');
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
function binaryFocalCrossentropy(site: CallSite, target: PyValue, output: PyValue, balancing: boolean, alpha: number, gamma: PyValue, fromLogits: boolean): TensorValue {
  const t = T(site, target);
  const o = T(site, output);
  const sigmoidal = fromLogits ? tfUnary(site, 'sigmoid', o, tf.sigmoid) : o;
  const pT = tfArith(site, '+', tfArith(site, '*', t, sigmoidal, 'mul'), tfArith(site, '*', tfArith(site, '-', 1, t, 'sub'), tfArith(site, '-', 1, sigmoidal, 'sub'), 'mul'), 'add');
  const focal = tfArith(site, '**', tfArith(site, '-', 1, pT, 'sub'), gamma, 'pow');
  let loss = tfArith(site, '*', focal, binaryCrossentropy(site, t, o, fromLogits), 'mul');
  if (balancing) {
    const weight = tfArith(site, '+', tfArith(site, '*', t, alpha, 'mul'), tfArith(site, '*', tfArith(site, '-', 1, t, 'sub'), 1 - alpha, 'mul'), 'add');
    loss = tfArith(site, '*', weight, loss, 'mul');
  }
  return loss;
}

K('categorical_crossentropy', ['target', 'output', 'from_logits=False', 'axis=-1'], (a, site) => categoricalCrossentropy(site, a.target, a.output, truthy(a.from_logits), a.axis));
K('sparse_categorical_crossentropy', ['target', 'output', 'from_logits=False', 'axis=-1', 'ignore_class=None'], (a, site) =>
  sparseCategoricalCrossentropy(site, a.target, a.output, truthy(a.from_logits), a.axis, a.ignore_class));
K('binary_crossentropy', ['target', 'output', 'from_logits=False'], (a, site) => binaryCrossentropy(site, a.target, a.output, truthy(a.from_logits)));
K('binary_focal_crossentropy', ['target', 'output', 'apply_class_balancing=False', 'alpha=0.25', 'gamma=2.0', 'from_logits=False'], (a, site) =>
  binaryFocalCrossentropy(site, a.target, a.output, truthy(a.apply_class_balancing), toFloat(a.alpha), a.gamma, truthy(a.from_logits)));

// ------------------------------------------------------------------ keras.losses: functions

const losses = new Map<string, PyValue>();

function lossFn(names: string[], spec: readonly string[], impl: (a: Bound, site: CallSite) => PyValue): BuiltinFunction {
  const f = def(`keras.losses.${names[0]}`, spec, impl);
  for (const n of names) losses.set(n, f);
  return f;
}

/** y_pred as a tensor and y_true cast to its dtype, as every Keras loss function starts. */
function prepare(site: CallSite, yTrue: PyValue, yPred: PyValue): [TensorValue, TensorValue] {
  const pred = T(site, yPred);
  return [tfCast(site, yTrue, dtypeObject(TF_FLAVOUR, pred.dtype)), pred];
}

const kmean = (site: CallSite, x: TensorValue, axis: PyValue) => tfReduce(site, 'reduce_mean', x.dtype === 'bool' ? tfCast(site, x, floatx(site)) : x, axis, false);

const binaryCE = lossFn(['binary_crossentropy', 'bce', 'BCE'], ['y_true', 'y_pred', 'from_logits=False', 'label_smoothing=0.0', 'axis=-1'], (a, site) => {
  let [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const ls = toFloat(a.label_smoothing);
  if (ls) yTrue = tfArith(site, '+', tfArith(site, '*', yTrue, 1 - ls, 'mul'), 0.5 * ls, 'add');
  return kmean(site, binaryCrossentropy(site, yTrue, yPred, truthy(a.from_logits)), a.axis);
});
const categoricalCE = lossFn(['categorical_crossentropy'], ['y_true', 'y_pred', 'from_logits=False', 'label_smoothing=0.0', 'axis=-1'], (a, site) => {
  let [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const ls = toFloat(a.label_smoothing);
  if (ls) {
    const classes = yTrue.shape[yTrue.rank - 1];
    yTrue = tfArith(site, '+', tfArith(site, '*', yTrue, 1 - ls, 'mul'), ls / classes, 'add');
  }
  return categoricalCrossentropy(site, yTrue, yPred, truthy(a.from_logits), a.axis);
});
const sparseCE = lossFn(['sparse_categorical_crossentropy'], ['y_true', 'y_pred', 'from_logits=False', 'axis=-1', 'ignore_class=None'], (a, site) =>
  sparseCategoricalCrossentropy(site, a.y_true, a.y_pred, truthy(a.from_logits), a.axis, a.ignore_class));
const binaryFocal = lossFn(['binary_focal_crossentropy'], ['y_true', 'y_pred', 'apply_class_balancing=False', 'alpha=0.25', 'gamma=2.0', 'from_logits=False', 'label_smoothing=0.0', 'axis=-1'], (a, site) => {
  let [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const ls = toFloat(a.label_smoothing);
  if (ls) yTrue = tfArith(site, '+', tfArith(site, '*', yTrue, 1 - ls, 'mul'), 0.5 * ls, 'add');
  return kmean(site, binaryFocalCrossentropy(site, yTrue, yPred, truthy(a.apply_class_balancing), toFloat(a.alpha), a.gamma, truthy(a.from_logits)), a.axis);
});
const mse = lossFn(['mean_squared_error', 'mse', 'MSE'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  return kmean(site, call(site, TF_TABLES.math.get('squared_difference')!, [yPred, yTrue]) as TensorValue, -1n);
});
const mae = lossFn(['mean_absolute_error', 'mae', 'MAE'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  return kmean(site, tfUnary(site, 'abs', tfArith(site, '-', yPred, yTrue, 'sub'), absSignGrad, 'numeric'), -1n);
});
const mape = lossFn(['mean_absolute_percentage_error', 'mape', 'MAPE'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const diff = tfUnary(site, 'abs', tfArith(site, '/', tfArith(site, '-', yTrue, yPred, 'sub'), tfMinMax(site, 'maximum', tfUnary(site, 'abs', yTrue, absSignGrad, 'numeric'), config(site).epsilon), 'truediv'), absSignGrad, 'numeric');
  return tfArith(site, '*', 100, kmean(site, diff, -1n), 'mul');
});
const msle = lossFn(['mean_squared_logarithmic_error', 'msle', 'MSLE'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const first = tfUnary(site, 'log', tfArith(site, '+', tfMinMax(site, 'maximum', yPred, config(site).epsilon), 1, 'add'), tf.log);
  const second = tfUnary(site, 'log', tfArith(site, '+', tfMinMax(site, 'maximum', yTrue, config(site).epsilon), 1, 'add'), tf.log);
  return kmean(site, call(site, TF_TABLES.math.get('squared_difference')!, [first, second]) as TensorValue, -1n);
});
const kld = lossFn(['kl_divergence', 'kld', 'KLD', 'kullback_leibler_divergence'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const t = clipByValue(site, yTrue, config(site).epsilon, 1);
  const p = clipByValue(site, yPred, config(site).epsilon, 1);
  return tfReduce(site, 'reduce_sum', tfArith(site, '*', t, tfUnary(site, 'log', tfArith(site, '/', t, p, 'truediv'), tf.log), 'mul'), -1n, false);
});
const poisson = lossFn(['poisson'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  return kmean(site, tfArith(site, '-', yPred, tfArith(site, '*', yTrue, tfUnary(site, 'log', tfArith(site, '+', yPred, config(site).epsilon, 'add'), tf.log), 'mul'), 'sub'), -1n);
});
const logCosh = lossFn(['log_cosh', 'logcosh'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const x = tfArith(site, '-', yPred, yTrue, 'sub');
  const value = tfArith(site, '-', tfArith(site, '+', x, tfUnary(site, 'softplus', tfArith(site, '*', -2, x, 'mul'), tf.softplus), 'add'), Math.log(2), 'sub');
  return kmean(site, value, -1n);
});
const cosineSimilarity = lossFn(['cosine_similarity'], ['y_true', 'y_pred', 'axis=-1'], (a, site) => {
  const t = l2Normalize(site, a.y_true, a.axis, 1e-12);
  const p = l2Normalize(site, a.y_pred, a.axis, 1e-12);
  return tfUnary(site, 'negative', tfReduce(site, 'reduce_sum', tfArith(site, '*', t, p, 'mul'), a.axis, false), tf.neg, 'numeric');
});
const huber = lossFn(['huber'], ['y_true', 'y_pred', 'delta=1.0'], (a, site) => {
  const yPred = tfCast(site, a.y_pred, floatx(site));
  const yTrue = tfCast(site, a.y_true, floatx(site));
  const delta = toFloat(a.delta);
  const error = tfArith(site, '-', yPred, yTrue, 'subtract');
  const absError = tfUnary(site, 'abs', error, absSignGrad, 'numeric');
  const sq = tfUnary(site, 'square', error, (t) => tf.mul(t, t), 'numeric');
  const inside = tfCompare(site, '<=', absError, delta, 'less_equal');
  const value = tfWhere(site, inside, tfArith(site, '*', 0.5, sq, 'mul'), tfArith(site, '-', tfArith(site, '*', delta, absError, 'mul'), 0.5 * delta * delta, 'sub'));
  return kmean(site, value, -1n);
});

/** Keras's hinge losses map {0, 1} labels to {-1, 1} when every label is 0 or 1. */
function hingeLabels(site: CallSite, yTrue: TensorValue): TensorValue {
  const data = yTrue.tensor.dataSync();
  const binary = Array.from(data).every((v) => v === 0 || v === 1);
  return binary ? tfArith(site, '-', tfArith(site, '*', 2, yTrue, 'mul'), 1, 'sub') : yTrue;
}
const hinge = lossFn(['hinge'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const margin = tfMinMax(site, 'maximum', tfArith(site, '-', 1, tfArith(site, '*', hingeLabels(site, yTrue), yPred, 'mul'), 'sub'), 0);
  return kmean(site, margin, -1n);
});
const squaredHinge = lossFn(['squared_hinge'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const margin = tfMinMax(site, 'maximum', tfArith(site, '-', 1, tfArith(site, '*', hingeLabels(site, yTrue), yPred, 'mul'), 'sub'), 0);
  return kmean(site, tfUnary(site, 'square', margin, (t) => tf.mul(t, t), 'numeric'), -1n);
});

// ------------------------------------------------------------------ keras.losses: Loss and the loss classes

const REDUCTIONS_ALL = ['auto', 'none', 'sum', 'sum_over_batch_size'];

function validateReduction(value: PyValue): PyValue {
  if (typeof value !== 'string' || !REDUCTIONS_ALL.includes(value)) {
    throw valueError(`Invalid Reduction Key: ${typeof value === 'string' ? value : repr(value)}. Expected keys are "('auto', 'none', 'sum', 'sum_over_batch_size')"`);
  }
  return value;
}

/** keras.losses.Reduction (ReductionV2): string constants. */
const REDUCTION_CLASS = new PyClass('ReductionV2', [OBJECT_CLASS], new Map<string, PyValue>([
  ['AUTO', 'auto'], ['NONE', 'none'], ['SUM', 'sum'], ['SUM_OVER_BATCH_SIZE', 'sum_over_batch_size'],
  ['all', def('Reduction.all', [], () => new PyTuple(REDUCTIONS_ALL))],
  ['validate', def('Reduction.validate', ['key'], (a) => {
    validateReduction(a.key);
    return null;
  })],
]), undefined, 'keras.losses.Reduction');

/**
 * losses_utils.compute_weighted_loss: non-float losses are reduced as float32 (and cast back),
 * sample weights broadcast after squeezing/expanding one trailing axis, masks (ignore_class)
 * re-weighted so SUM_OVER_BATCH_SIZE averages over the valid entries only.
 */
function computeWeightedLoss(site: CallSite, lossesValue: PyValue, sampleWeight: PyValue, reduction: PyValue): TensorValue {
  let x = T(site, lossesValue);
  const mask = isTensor(lossesValue) ? kerasMasks.get(lossesValue) : undefined;
  const inputDtype = x.dtype;
  const casted = !isFloatDtype(x.dtype);
  if (casted) x = tfCast(site, x, 'float32');
  let weight: TensorValue | undefined = sampleWeight === null ? undefined : tfCast(site, sampleWeight, dtypeObject(TF_FLAVOUR, x.dtype));
  if (mask) {
    let m = tfCast(site, mask, dtypeObject(TF_FLAVOUR, x.dtype));
    if (reduction === 'auto' || reduction === 'sum_over_batch_size') {
      const valid = tfReduce(site, 'reduce_sum', m, null, false);
      m = tfArith(site, '*', m, divideNoNan(site, m.size, valid), 'mul');
    }
    weight = weight ? tfArith(site, '*', m, weight, 'mul') : m;
  }
  if (weight && weight.rank > 0) {
    if (weight.rank - x.rank === 1) weight = tfSqueeze(site, weight, new PyList([-1n]));
    else if (x.rank - weight.rank === 1) weight = tfExpandDims(site, weight, -1n);
  }
  const weighted = weight ? tfArith(site, '*', x, weight, 'mul') : x;
  let loss: TensorValue;
  if (reduction === 'none') loss = weighted;
  else {
    loss = tfReduce(site, 'reduce_sum', weighted, null, false);
    if (reduction !== 'sum') loss = divideNoNan(site, loss, weighted.size);
  }
  return casted ? tfCast(site, loss, inputDtype) : loss;
}

const selfOf = (a: Bound) => a.self as PyInstance;

/** keras.losses.Loss: subclasses implement call(y_true, y_pred); __call__ applies the reduction. */
const LOSS_CLASS = new PyClass('Loss', [OBJECT_CLASS], new Map<string, PyValue>([
  ['__init__', def('Loss.__init__', ['self', "reduction='auto'", 'name=None', '**kwargs'], (a) => {
    const self = selfOf(a);
    self.attrs.set('reduction', validateReduction(a.reduction));
    self.attrs.set('name', a.name);
    return null;
  })],
  ['__call__', def('Loss.__call__', ['self', 'y_true', 'y_pred', 'sample_weight=None'], (a, site) => {
    const self = selfOf(a);
    const callMethod = getAttribute(self, 'call', site);
    const result = call(site, callMethod, [a.y_true, a.y_pred]);
    const reduction = getAttribute(self, 'reduction', site);
    return computeWeightedLoss(site, result, a.sample_weight, reduction === null ? 'auto' : reduction);
  })],
  ['call', def('Loss.call', ['self', 'y_true', 'y_pred'], () => {
    throw notImplementedError('Must be implemented in subclasses.');
  })],
  ['get_config', def('Loss.get_config', ['self'], (a, site) => {
    const config = new PyDict();
    config.set('reduction', getAttribute(selfOf(a), 'reduction', site));
    config.set('name', getAttribute(selfOf(a), 'name', site));
    return config;
  })],
]), undefined, 'keras.losses.Loss');

/** losses_utils.squeeze_or_expand_dimensions(y_pred, y_true) as LossFunctionWrapper.call uses it. */
function squeezeOrExpand(site: CallSite, yPred: PyValue, yTrue: PyValue): [PyValue, PyValue] {
  if (!isTensor(yPred) || !isTensor(yTrue)) return [yPred, yTrue];
  const diff = yPred.rank - yTrue.rank;
  if (diff !== 1 || yPred.shape[yPred.rank - 1] === 1) {
    if (diff === 1 && yPred.shape[yPred.rank - 1] === 1) return [tfSqueeze(site, yPred, new PyList([-1n])), yTrue];
    if (diff === -1 && yTrue.shape[yTrue.rank - 1] === 1) return [yPred, tfSqueeze(site, yTrue, new PyList([-1n]))];
  }
  return [yPred, yTrue];
}

function setWrapperState(self: PyInstance, fn: PyValue, reduction: PyValue, name: PyValue, kwargs: PyDict): void {
  self.attrs.set('reduction', validateReduction(reduction));
  self.attrs.set('name', name);
  self.attrs.set('fn', fn);
  self.attrs.set('_fn_kwargs', kwargs);
}

const LOSS_FUNCTION_WRAPPER = new PyClass('LossFunctionWrapper', [LOSS_CLASS], new Map<string, PyValue>([
  ['__init__', def('LossFunctionWrapper.__init__', ['self', 'fn', "reduction='auto'", 'name=None', '**kwargs'], (a) => {
    setWrapperState(selfOf(a), a.fn, a.reduction, a.name, a.kwargs as PyDict);
    return null;
  })],
  ['call', def('LossFunctionWrapper.call', ['self', 'y_true', 'y_pred'], (a, site) => {
    const self = selfOf(a);
    const [yPred, yTrue] = squeezeOrExpand(site, a.y_pred, a.y_true);
    const kwargs = getAttribute(self, '_fn_kwargs', site);
    const keywords = new Map<string, PyValue>();
    if (kwargs instanceof PyDict) for (const [k, v] of kwargs.entries.values()) keywords.set(String(k), v);
    return call(site, getAttribute(self, 'fn', site), [yTrue, yPred], keywords);
  })],
  ['get_config', def('LossFunctionWrapper.get_config', ['self'], (a, site) => {
    const self = selfOf(a);
    const config = new PyDict();
    const kwargs = getAttribute(self, '_fn_kwargs', site);
    if (kwargs instanceof PyDict) for (const [k, v] of kwargs.entries.values()) config.set(k, v);
    config.set('reduction', getAttribute(self, 'reduction', site));
    config.set('name', getAttribute(self, 'name', site));
    return config;
  })],
]), undefined, 'keras.losses.LossFunctionWrapper');

/** A built-in loss class: its own constructor arguments become the wrapped function's keywords. */
function lossClass(name: string, fn: BuiltinFunction, spec: string[], defaultName: string): PyClass {
  const params = spec.map((p) => p.split('=')[0]);
  const initSpec = ['self', ...spec, "reduction='auto'", `name='${defaultName}'`];
  return new PyClass(name, [LOSS_FUNCTION_WRAPPER], new Map<string, PyValue>([
    ['__init__', def(`${name}.__init__`, initSpec, (a) => {
      const kwargs = new PyDict();
      for (const p of params) kwargs.set(p, a[p]);
      setWrapperState(selfOf(a), fn, a.reduction, a.name, kwargs);
      return null;
    })],
  ]), undefined, `keras.losses.${name}`);
}

const LOSS_CLASSES: [string, BuiltinFunction, string[], string][] = [
  ['BinaryCrossentropy', binaryCE, ['from_logits=False', 'label_smoothing=0.0', 'axis=-1'], 'binary_crossentropy'],
  ['CategoricalCrossentropy', categoricalCE, ['from_logits=False', 'label_smoothing=0.0', 'axis=-1'], 'categorical_crossentropy'],
  ['SparseCategoricalCrossentropy', sparseCE, ['from_logits=False', 'ignore_class=None'], 'sparse_categorical_crossentropy'],
  ['BinaryFocalCrossentropy', binaryFocal, ['apply_class_balancing=False', 'alpha=0.25', 'gamma=2.0', 'from_logits=False', 'label_smoothing=0.0', 'axis=-1'], 'binary_focal_crossentropy'],
  ['MeanSquaredError', mse, [], 'mean_squared_error'],
  ['MeanAbsoluteError', mae, [], 'mean_absolute_error'],
  ['MeanAbsolutePercentageError', mape, [], 'mean_absolute_percentage_error'],
  ['MeanSquaredLogarithmicError', msle, [], 'mean_squared_logarithmic_error'],
  ['KLDivergence', kld, [], 'kl_divergence'],
  ['Poisson', poisson, [], 'poisson'],
  ['LogCosh', logCosh, [], 'log_cosh'],
  ['CosineSimilarity', cosineSimilarity, ['axis=-1'], 'cosine_similarity'],
  ['Huber', huber, ['delta=1.0'], 'huber_loss'],
  ['Hinge', hinge, [], 'hinge'],
  ['SquaredHinge', squaredHinge, [], 'squared_hinge'],
];
for (const [name, fn, spec, defaultName] of LOSS_CLASSES) losses.set(name, lossClass(name, fn, spec, defaultName));
losses.set('Loss', LOSS_CLASS);
losses.set('LossFunctionWrapper', LOSS_FUNCTION_WRAPPER);
losses.set('Reduction', REDUCTION_CLASS);
losses.set('get', def('keras.losses.get', ['identifier'], (a, site) => {
  if (a.identifier === null) return null;
  if (typeof a.identifier === 'string') {
    const found = losses.get(a.identifier);
    if (found === undefined) throw valueError(`Unknown loss function: '${a.identifier}'. Please ensure you are using a \`keras.utils.custom_object_scope\` and that this object is included in the scope.`);
    return found instanceof PyClass ? call(site, found, []) : found;
  }
  if (isCallable(a.identifier)) return a.identifier;
  throw valueError(`Could not interpret loss function identifier: ${repr(a.identifier)}`);
}));

// ------------------------------------------------------------------ keras.activations, keras.metrics, keras.utils

const activations = new Map<string, PyValue>();
const act = (name: string, spec: readonly string[], impl: (a: Bound, site: CallSite) => PyValue) => activations.set(name, def(`keras.activations.${name}`, spec, impl));
act('softmax', ['x', 'axis=-1'], (a, site) => tfSoftmax(site, a.x, a.axis));
act('sigmoid', ['x'], (a, site) => tfUnary(site, 'sigmoid', a.x, tf.sigmoid));
act('tanh', ['x'], (a, site) => tfUnary(site, 'tanh', a.x, tf.tanh));
act('softplus', ['x'], (a, site) => tfUnary(site, 'softplus', a.x, tf.softplus));
act('softsign', ['x'], (a, site) => tfUnary(site, 'softsign', a.x, FLOAT_OPS.softsign));
act('relu', ['x', 'alpha=0.0', 'max_value=None', 'threshold=0.0'], (a, site) => relu(site, a));
act('elu', ['x', 'alpha=1.0'], (a, site) => call(site, backend.get('elu')!, [a.x, a.alpha]));
act('selu', ['x'], (a, site) => tfUnary(site, 'selu', a.x, tf.selu));
act('exponential', ['x'], (a, site) => tfUnary(site, 'exp', a.x, tf.exp));
act('hard_sigmoid', ['x'], (a, site) => call(site, backend.get('hard_sigmoid')!, [a.x]));
act('swish', ['x'], (a, site) => tfUnary(site, 'swish', a.x, (t) => tf.mul(t, tf.sigmoid(t))));
act('linear', ['x'], (a) => a.x);
act('get', ['identifier'], (a) => {
  if (a.identifier === null) return activations.get('linear')!;
  if (typeof a.identifier === 'string') {
    const found = activations.get(a.identifier);
    if (!found) throw valueError(`Unknown activation function: '${a.identifier}'.`);
    return found;
  }
  return a.identifier;
});

/** keras.metrics: the loss functions Keras 2 re-exports there (classes stay opaque). */
const metrics = new Map<string, PyValue>();
for (const name of ['binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'mean_squared_error', 'mse', 'MSE',
  'mean_absolute_error', 'mae', 'MAE', 'mean_absolute_percentage_error', 'mape', 'mean_squared_logarithmic_error', 'msle', 'kl_divergence',
  'kld', 'poisson', 'log_cosh', 'logcosh', 'hinge', 'squared_hinge', 'binary_focal_crossentropy']) metrics.set(name, losses.get(name)!);

const customObjects = new PyDict();
const utils = new Map<string, PyValue>();
const identityDecorator = new BuiltinFunction('keras.utils.register_keras_serializable.decorator', (args) => args.positional[0] ?? null);
utils.set('register_keras_serializable', def('keras.utils.register_keras_serializable', ["package='Custom'", 'name=None'], () => identityDecorator));
utils.set('get_custom_objects', def('keras.utils.get_custom_objects', [], () => customObjects));
utils.set('custom_object_scope', NULL_CONTEXT);
utils.set('CustomObjectScope', NULL_CONTEXT);
utils.set('to_categorical', def('keras.utils.to_categorical', ['y', 'num_classes=None', "dtype='float32'"], (a, site) => {
  const y = convertTo(site, a.y, undefined);
  const labels = Array.from(y.tensor.dataSync(), (v) => Math.trunc(Number(v)));
  let shape = y.shape;
  if (shape.length > 1 && shape[shape.length - 1] === 1) shape = shape.slice(0, -1);
  const classes = a.num_classes === null || a.num_classes === 0n ? Math.max(-1, ...labels) + 1 : toInt(a.num_classes, 'num_classes');
  site.rt.guard.checkTensorElements([labels.length, classes], 'to_categorical');
  const data = new Float32Array(labels.length * classes);
  labels.forEach((label, i) => {
    if (label >= classes || label < -classes) {
      throw indexError(`index ${label} is out of bounds for axis 1 with size ${classes}`);
    }
    data[i * classes + (label < 0 ? label + classes : label)] = 1;
  });
  const dtype = tfDtype(a.dtype) ?? 'float32';
  return site.rt.constant(tf.tensor(data, [...shape, classes], 'float32'), undefined, dtype, 'numpy');
}));

// ------------------------------------------------------------------ registration

const PREFIXES = ['keras', 'tensorflow.keras', 'tf_keras', 'tensorflow.python.keras', 'tensorflow.compat.v1.keras', 'tensorflow.compat.v2.keras'];
for (const prefix of PREFIXES) {
  registerModule(prefix, () => new NamespaceMap(prefix, [['__version__', '2.15.0']]));
  registerModule(`${prefix}.backend`, () => backend);
  registerModule(`${prefix}.losses`, () => losses);
  registerModule(`${prefix}.activations`, () => activations);
  registerModule(`${prefix}.metrics`, () => new NamespaceMap(`${prefix}.metrics`, metrics));
  registerModule(`${prefix}.utils`, () => new NamespaceMap(`${prefix}.utils`, utils));
}
// TF 2's tf.losses and tf.metrics are tf.keras.losses and tf.keras.metrics.
registerModule('tensorflow.losses', () => losses);
registerModule('tensorflow.metrics', () => new NamespaceMap('tensorflow.metrics', metrics));
