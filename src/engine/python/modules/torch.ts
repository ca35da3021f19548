// PyTorch: torch, torch.nn, torch.nn.functional, and torch.Tensor methods, with torch's semantics
// (dim/keepdim, int64 indices, implicit float promotion, round/sign/floor giving zero gradients,
// argmax/comparisons/.detach()/.long() cutting them).
import * as tf from '@tensorflow/tfjs';
import { registerTensorAttributes, tensorMethod, tensorProperty, type TensorAttribute } from '../attributes';
import { OBJECT_CLASS, TYPE_CLASSES } from '../builtins';
import type { CallSite } from '../callsite';
import { InterpreterError, notImplementedError, runtimeError, typeError } from '../errors';
import { bincount } from '../ops/bincount';
import { asTensor, castTensor } from '../ops/coercion';
import { binaryFunction, binaryOp, clip, unaryOp, where } from '../ops/elementwise';
import {
  einsum, implicitSoftmaxDim, logSoftmax, oneHot, parseReduction, softmax, torchBinaryCrossEntropy,
  torchBinaryCrossEntropyWithLogits, torchClassificationLoss,
} from '../ops/nn';
import { argReduce, normaliseAxis, reduce, type ReduceKind } from '../ops/reduce';
import {
  arange, broadcastTo, concat, expandDims, eye, filled, flatten, linspace, permute, reshape, squeeze, stack, swapAxes, tile, zerosLike,
} from '../ops/shape';
import { isTensor, tensorScalar, toShape } from '../protocols';
import { TensorValue, isFloatDtype, type LogicalDtype } from '../tensor';
import { BuiltinFunction, PyClass, PyInstance, PyList, PyTuple, type PyValue } from '../values';
import { type Bound, boolArg, def, dtypeEntries, dtypeObject, floatArg, intArg, optionalAxes, optionalInt, parseDtype, tensorList } from './common';
import { registerModule } from './registry';
import { bindArgs } from '../signature';
import { detach } from '../runtime';

const FLAVOUR = 'torch';
const T = (site: CallSite, v: PyValue) => asTensor(site, v, FLAVOUR);

const torchFunctions = new Map<string, PyValue>();
const tensorMethods: Record<string, TensorAttribute> = {};

/** Registers `torch.name(input, ...)` and `tensor.name(...)` with one implementation. */
function both(name: string, spec: readonly string[], impl: (self: TensorValue, a: Bound, site: CallSite) => PyValue, aliases: Record<string, string> = { axis: 'dim', keepdims: 'keepdim' }): void {
  const fnSpec = ['input', ...spec];
  torchFunctions.set(name, def(`torch.${name}`, fnSpec, (a, site) => impl(T(site, a.input), a, site), aliases));
  tensorMethods[name] = tensorMethod((self, args, site) => impl(self, bindArgs(`Tensor.${name}`, args, spec, aliases), site));
}

function fn(name: string, spec: readonly string[], impl: (a: Bound, site: CallSite) => PyValue, aliases?: Record<string, string>): void {
  torchFunctions.set(name, def(`torch.${name}`, spec, impl, aliases));
}

function method(name: string, spec: readonly string[], impl: (self: TensorValue, a: Bound, site: CallSite) => PyValue, aliases: Record<string, string> = { axis: 'dim', keepdims: 'keepdim' }): void {
  tensorMethods[name] = tensorMethod((self, args, site) => impl(self, bindArgs(`Tensor.${name}`, args, spec, aliases), site));
}

// ------------------------------------------------------------------ reductions

const REDUCTIONS: Record<string, ReduceKind> = { sum: 'sum', mean: 'mean', prod: 'prod', nansum: 'sum', logsumexp: 'logsumexp', any: 'any', all: 'all', amax: 'max', amin: 'min' };
for (const [name, kind] of Object.entries(REDUCTIONS)) {
  both(name, ['dim=None', 'keepdim=False', '*', 'dtype=None'], (x, a, site) => {
    if (kind === 'logsumexp' && a.dim === null) throw typeError('logsumexp() missing required argument: dim');
    return reduce(site, kind, x, optionalAxes(a.dim), boolArg(a.keepdim), { opName: name, dtype: parseDtype(a.dtype, FLAVOUR) });
  });
}

for (const [name, kind] of [['var', 'var'], ['std', 'std']] as const) {
  both(name, ['dim=None', 'unbiased=True', 'keepdim=False', '*', 'correction=None'], (x, a, site) => {
    const correction = a.correction !== null ? floatArg(a.correction) : boolArg(a.unbiased) ? 1 : 0;
    return reduce(site, kind, x, optionalAxes(a.dim), boolArg(a.keepdim), { correction, opName: name });
  });
}

/** torch.max/min: full reduction, (values, indices) along a dim, or elementwise with a tensor. */
for (const name of ['max', 'min'] as const) {
  both(name, ['dim=None', 'keepdim=False'], (x, a, site) => {
    if (a.dim === null) return reduce(site, name, x, undefined, false, { opName: name });
    if (isTensor(a.dim)) return binaryFunction(site, name === 'max' ? 'maximum' : 'minimum', x, a.dim, name === 'max' ? tf.maximum : tf.minimum, FLAVOUR);
    const dim = intArg(a.dim, 'dim');
    const keep = boolArg(a.keepdim);
    const values = reduce(site, name, x, [dim], keep, { opName: name });
    const indices = argReduce(site, name === 'max' ? 'argmax' : 'argmin', x, dim, keep, `${name}_indices`);
    return new PyTuple([values, indices], `torch.return_types.${name}`, ['values', 'indices']);
  }, { axis: 'dim', keepdims: 'keepdim', other: 'dim' });
}

for (const name of ['argmax', 'argmin'] as const) {
  both(name, ['dim=None', 'keepdim=False'], (x, a, site) => argReduce(site, name, x, optionalInt(a.dim, 'dim'), boolArg(a.keepdim)));
}

both('count_nonzero', ['dim=None'], (x, a, site) => {
  const mask = binaryOp(site, '!=', x, 0n);
  return reduce(site, 'sum', mask, optionalAxes(a.dim), false, { opName: 'count_nonzero' });
});

both('norm', ['p=\'fro\'', 'dim=None', 'keepdim=False', 'dtype=None'], (x, a, site) => {
  const p = a.p === 'fro' || a.p === null ? 2 : floatArg(a.p);
  const axes = optionalAxes(a.dim);
  if (p === 1) return reduce(site, 'sum', unaryOp(site, 'abs', x, FLAVOUR, tf.abs, 'same'), axes, boolArg(a.keepdim), { opName: 'norm' });
  if (p === 2) {
    const squared = reduce(site, 'sum', binaryOp(site, '*', x, x), axes, boolArg(a.keepdim), { opName: 'norm' });
    return unaryOp(site, 'sqrt', squared, FLAVOUR, tf.sqrt);
  }
  if (p === Infinity) return reduce(site, 'max', unaryOp(site, 'abs', x, FLAVOUR, tf.abs, 'same'), axes, boolArg(a.keepdim), { opName: 'norm' });
  const powered = reduce(site, 'sum', binaryOp(site, '**', unaryOp(site, 'abs', x, FLAVOUR, tf.abs, 'same'), p), axes, boolArg(a.keepdim), { opName: 'norm' });
  return binaryOp(site, '**', powered, 1 / p);
}, { axis: 'dim', keepdims: 'keepdim', ord: 'p' });

// ------------------------------------------------------------------ elementwise math

const FLOAT_UNARY: Record<string, (t: tf.Tensor) => tf.Tensor> = {
  exp: tf.exp, log: tf.log, log1p: tf.log1p, log2: (t) => tf.div(tf.log(t), Math.LN2), log10: (t) => tf.div(tf.log(t), Math.LN10),
  sqrt: tf.sqrt, rsqrt: tf.rsqrt, sigmoid: tf.sigmoid, tanh: tf.tanh, sin: tf.sin, cos: tf.cos, expm1: tf.expm1,
  reciprocal: tf.reciprocal, erf: tf.erf, square: tf.square, cosh: tf.cosh, sinh: tf.sinh, tan: tf.tan,
  atan: tf.atan, asin: tf.asin, acos: tf.acos, logit: (t) => tf.log(tf.div(t, tf.sub(1, t))), softplus: tf.softplus,
};
for (const [name, f] of Object.entries(FLOAT_UNARY)) {
  both(name, [], (x, _a, site) => unaryOp(site, name, x, FLAVOUR, f, name === 'square' ? 'same' : 'float'));
}
both('abs', [], (x, _a, site) => unaryOp(site, 'abs', x, FLAVOUR, tf.abs, 'same'));
both('neg', [], (x, _a, site) => unaryOp(site, 'neg', x, FLAVOUR, tf.neg, 'same'));
both('relu', [], (x, _a, site) => unaryOp(site, 'relu', x, FLAVOUR, tf.relu, 'same'));
// torch gives these a zero gradient (the result still requires grad).
for (const [name, f] of [['round', tf.round], ['floor', tf.floor], ['ceil', tf.ceil], ['sign', tf.sign], ['trunc', (t: tf.Tensor) => tf.mul(tf.sign(t), tf.floor(tf.abs(t)))]] as const) {
  both(name, [], (x, _a, site) => unaryOp(site, name, x, FLAVOUR, f, 'same', 'zero'));
}
for (const [name, f] of [['isnan', tf.isNaN], ['isinf', tf.isInf], ['isfinite', tf.isFinite]] as const) {
  both(name, [], (x, _a, site) => unaryOp(site, name, x, FLAVOUR, f, 'bool'));
}
both('logical_not', [], (x, _a, site) => unaryOp(site, 'logical_not', castTensor(site, x, 'bool'), FLAVOUR, tf.logicalNot, 'bool'));
both('nan_to_num', ['nan=0.0', 'posinf=None', 'neginf=None'], (x, a, site) => {
  const nan = floatArg(a.nan);
  const posinf = a.posinf === null ? 3.4028234663852886e38 : floatArg(a.posinf);
  const neginf = a.neginf === null ? -3.4028234663852886e38 : floatArg(a.neginf);
  return unaryOp(site, 'nan_to_num', x, FLAVOUR, (t) => {
    // Masks from a detached copy: TF.js has no gradient for IsNan/Equal on the tape.
    const plain = detach(t);
    const noNan = tf.where(tf.isNaN(plain), tf.fill(t.shape, nan), t);
    return tf.where(tf.equal(plain, Infinity), tf.fill(t.shape, posinf), tf.where(tf.equal(plain, -Infinity), tf.fill(t.shape, neginf), noNan));
  }, 'same');
});

const BINARY_OPS: Record<string, '+' | '-' | '*' | '/' | '**' | '==' | '!=' | '>' | '>=' | '<' | '<=' | '%' | '//'> = {
  add: '+', sub: '-', subtract: '-', mul: '*', multiply: '*', div: '/', divide: '/', true_divide: '/', pow: '**',
  eq: '==', ne: '!=', gt: '>', ge: '>=', lt: '<', le: '<=', greater: '>', less: '<', remainder: '%', floor_divide: '//',
};
for (const [name, op] of Object.entries(BINARY_OPS)) {
  both(name, ['other', '*', 'alpha=None'], (x, a, site) => {
    const other = a.alpha !== null && (op === '+' || op === '-') ? binaryOp(site, '*', T(site, a.other), a.alpha) : a.other;
    return binaryOp(site, op, x, other);
  }, { exponent: 'other' });
  if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'greater', 'less'].includes(name)) {
    // In-place variants (x.mul_(y)): same result, rebound into the tensor object.
    method(`${name}_`, ['other', '*', 'alpha=None'], (x, a, site) => {
      x.assignFrom(binaryOp(site, op, x, a.other));
      return x;
    });
  }
}
for (const [name, f] of [['maximum', tf.maximum], ['minimum', tf.minimum], ['fmax', tf.maximum], ['fmin', tf.minimum]] as const) {
  both(name, ['other'], (x, a, site) => binaryFunction(site, name, x, a.other, f, FLAVOUR));
}
for (const [name, f] of [['logical_and', tf.logicalAnd], ['logical_or', tf.logicalOr], ['logical_xor', tf.logicalXor]] as const) {
  both(name, ['other'], (x, a, site) => binaryFunction(site, name, castTensor(site, x, 'bool'), castTensor(site, T(site, a.other), 'bool'), f, FLAVOUR, 'cut'));
}
both('clamp', ['min=None', 'max=None'], (x, a, site) => clip(site, x, a.min, a.max, FLAVOUR));
tensorMethods.clip = tensorMethods.clamp;
torchFunctions.set('clip', torchFunctions.get('clamp')!);
method('clamp_', ['min=None', 'max=None'], (x, a, site) => {
  x.assignFrom(clip(site, x, a.min, a.max, FLAVOUR));
  return x;
});
both('masked_fill', ['mask', 'value'], (x, a, site) => where(site, a.mask, a.value, x, FLAVOUR));
fn('where', ['condition', 'input=None', 'other=None'], (a, site) => {
  if (a.input === null) throw new InterpreterError('unsupported', 'unsupported: torch.where(condition) with one argument (nonzero indices)');
  return where(site, a.condition, a.input, a.other, FLAVOUR);
}, { self: 'input' });
both('matmul', ['other'], (x, a, site) => binaryOp(site, '@', x, a.other));
both('mm', ['mat2'], (x, a, site) => binaryOp(site, '@', x, a.mat2));
both('bmm', ['mat2'], (x, a, site) => binaryOp(site, '@', x, a.mat2));
both('dot', ['other'], (x, a, site) => reduce(site, 'sum', binaryOp(site, '*', x, a.other), undefined, false, { opName: 'dot' }));
fn('einsum', ['equation', '*operands'], (a, site) => {
  let operands = (a.operands as PyTuple).items;
  if (operands.length === 1 && (operands[0] instanceof PyList || operands[0] instanceof PyTuple)) operands = (operands[0] as PyList).items;
  return einsum(site, String(a.equation), operands.map((o) => T(site, o)), FLAVOUR);
});

// ------------------------------------------------------------------ activations

both('softmax', ['dim=None', '_stacklevel=3', 'dtype=None'], (x, a, site) => softmax(site, x, a.dim === null ? implicitSoftmaxDim(x.rank) : intArg(a.dim, 'dim')));
both('log_softmax', ['dim=None', '_stacklevel=3', 'dtype=None'], (x, a, site) => logSoftmax(site, x, a.dim === null ? implicitSoftmaxDim(x.rank) : intArg(a.dim, 'dim')));

// ------------------------------------------------------------------ shapes

function shapeArgs(a: Bound, key = 'shape'): number[] {
  const items = (a[key] as PyTuple).items;
  return items.length === 1 && (items[0] instanceof PyList || items[0] instanceof PyTuple || isTensor(items[0])) ? toShape(items[0]) : toShape(new PyTuple(items));
}
method('view', ['*shape'], (x, a, site) => reshape(site, x, shapeArgs(a), 'view'));
method('reshape', ['*shape'], (x, a, site) => reshape(site, x, shapeArgs(a)));
fn('reshape', ['input', 'shape'], (a, site) => reshape(site, T(site, a.input), toShape(a.shape)));
method('view_as', ['other'], (x, a, site) => reshape(site, x, T(site, a.other).shape, 'view_as'));
method('reshape_as', ['other'], (x, a, site) => reshape(site, x, T(site, a.other).shape, 'reshape_as'));
both('flatten', ['start_dim=0', 'end_dim=-1'], (x, a, site) => flatten(site, x, intArg(a.start_dim), intArg(a.end_dim)));
both('squeeze', ['dim=None'], (x, a, site) => squeeze(site, x, optionalAxes(a.dim), false));
both('unsqueeze', ['dim'], (x, a, site) => expandDims(site, x, intArg(a.dim, 'dim')));
method('permute', ['*dims'], (x, a, site) => permute(site, x, shapeArgs(a, 'dims')));
fn('permute', ['input', 'dims'], (a, site) => permute(site, T(site, a.input), toShape(a.dims)));
both('transpose', ['dim0', 'dim1'], (x, a, site) => swapAxes(site, x, intArg(a.dim0), intArg(a.dim1)));
both('swapaxes', ['axis0', 'axis1'], (x, a, site) => swapAxes(site, x, intArg(a.axis0), intArg(a.axis1)));
both('t', [], (x, _a, site) => (x.rank < 2 ? x : swapAxes(site, x, 0, 1, 't')));
method('expand', ['*sizes'], (x, a, site) => broadcastTo(site, x, shapeArgs(a, 'sizes'), 'expand'));
method('expand_as', ['other'], (x, a, site) => broadcastTo(site, x, T(site, a.other).shape, 'expand_as'));
fn('broadcast_to', ['input', 'size'], (a, site) => broadcastTo(site, T(site, a.input), toShape(a.size)));
method('repeat', ['*sizes'], (x, a, site) => tile(site, x, shapeArgs(a, 'sizes'), 'repeat'));
both('tile', ['dims'], (x, a, site) => tile(site, x, toShape(a.dims)));
for (const name of ['cat', 'concat', 'concatenate']) {
  fn(name, ['tensors', 'dim=0'], (a, site) => concat(site, tensorList(site, a.tensors, FLAVOUR), intArg(a.dim, 'dim'), name), { axis: 'dim' });
}
fn('stack', ['tensors', 'dim=0'], (a, site) => stack(site, tensorList(site, a.tensors, FLAVOUR), intArg(a.dim, 'dim')), { axis: 'dim' });
both('split', ['split_size_or_sections', 'dim=0'], (x, a, site) => {
  const dim = normaliseAxis(intArg(a.dim), x.rank);
  const size = x.shape[dim];
  const sizes = a.split_size_or_sections instanceof PyList || a.split_size_or_sections instanceof PyTuple
    ? toShape(a.split_size_or_sections)
    : Array.from({ length: Math.ceil(size / intArg(a.split_size_or_sections)) }, (_, i) => Math.min(intArg(a.split_size_or_sections), size - i * intArg(a.split_size_or_sections)));
  let start = 0;
  return new PyTuple(sizes.map((s) => {
    const begin = start;
    start += s;
    return site.rt.apply(site, 'split', [x], ([t]) => tf.slice(t, x.shape.map((_, i) => (i === dim ? begin : 0)), x.shape.map((d, i) => (i === dim ? s : d))), { dtype: x.dtype });
  }));
}, { split_size: 'split_size_or_sections' });
both('unbind', ['dim=0'], (x, a, site) => {
  const dim = normaliseAxis(intArg(a.dim), x.rank);
  return new PyTuple(Array.from({ length: x.shape[dim] }, (_, i) =>
    site.rt.apply(site, 'unbind', [x], ([t]) => tf.squeeze(tf.slice(t, x.shape.map((_, k) => (k === dim ? i : 0)), x.shape.map((d, k) => (k === dim ? 1 : d))), [dim]), { dtype: x.dtype })));
});

/**
 * scatter(dim, index, src|value): out[i][index[i][j]][k] = src[i][j][k] (for dim=1), the torch
 * one-hot idiom `zeros(...).scatter_(1, target.unsqueeze(1), 1)`. Positions are read from the
 * index (never differentiated); values keep their gradient.
 */
function scatter(site: CallSite, x: TensorValue, dimArg: PyValue, indexArg: PyValue, src: PyValue): TensorValue {
  const index = T(site, indexArg);
  const dim = normaliseAxis(intArg(dimArg, 'dim'), x.rank);
  if (index.rank !== x.rank) throw runtimeError('Index tensor must have the same number of dimensions as self tensor');
  const indexData = index.tensor.dataSync();
  const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const indexStrides = index.shape.map((_, i) => index.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const positions = new Int32Array(index.size);
  for (let flat = 0; flat < index.size; flat++) {
    let offset = 0;
    for (let d = 0; d < index.rank; d++) {
      const coordinate = Math.floor(flat / indexStrides[d]) % index.shape[d];
      const target = d === dim ? Number(indexData[flat]) : coordinate;
      if (target < 0 || target >= x.shape[d]) {
        throw runtimeError(`index ${target} is out of bounds for dimension ${d} with size ${x.shape[d]}`);
      }
      offset += target * strides[d];
    }
    positions[flat] = offset;
  }
  const source = isTensor(src) ? castTensor(site, src, x.dtype) : T(site, src);
  const mask = new Uint8Array(x.size);
  positions.forEach((p) => (mask[p] = 1));
  return site.rt.apply(site, 'scatter', [x, castTensor(site, source, x.dtype)], ([base, values]) => {
    // src is read at the index's coordinates (it may be larger than the index)
    const picked = isTensor(src) ? tf.slice(values, values.shape.map(() => 0), index.shape) : tf.broadcastTo(values, index.shape);
    const scattered = tf.scatterND(tf.tensor2d(positions, [positions.length, 1], 'int32'), tf.reshape(picked, [-1]), [x.size]);
    return tf.where(tf.tensor(mask, x.shape, 'bool'), tf.reshape(scattered, x.shape), base);
  }, { dtype: x.dtype });
}
both('scatter', ['dim', 'index', 'src=None', '*', 'value=None', 'reduce=None'], (x, a, site) => scatter(site, x, a.dim, a.index, a.src ?? a.value));
method('scatter_', ['dim', 'index', 'src=None', '*', 'value=None', 'reduce=None'], (x, a, site) => {
  x.assignFrom(scatter(site, x, a.dim, a.index, a.src ?? a.value));
  return x;
});
both('gather', ['dim', 'index', '*', 'sparse_grad=False'], (x, a, site) => {
  // torch.gather(x, dim, index): out[i][j][k] = x[i][index[i][j][k]][k] (dim=1), via a one-hot contraction
  const index = T(site, a.index);
  const dim = normaliseAxis(intArg(a.dim, 'dim'), x.rank);
  const hot = oneHot(site, index, x.shape[dim], x.dtype, 'gather_index');
  if (index.rank !== x.rank) throw runtimeError('Index tensor must have the same number of dimensions as input tensor');
  return site.rt.apply(site, 'gather', [x, hot], ([values, oh]) => {
    const sizes = index.shape.map((d, i) => (i === dim ? x.shape[dim] : d));
    const sliced = tf.slice(values, sizes.map(() => 0), sizes);
    const perm = [...sizes.keys()].filter((i) => i !== dim).concat([dim]);
    const classesLast = tf.expandDims(tf.transpose(sliced, perm), dim); // broadcasts against the one-hot index
    return tf.sum(tf.mul(classesLast, oh), -1);
  }, { dtype: x.dtype });
});

// ------------------------------------------------------------------ conversions and metadata

const CASTS: Record<string, LogicalDtype> = { float: 'float32', double: 'float64', half: 'float16', long: 'int64', int: 'int32', short: 'int16', bool: 'bool', byte: 'uint8' };
for (const [name, dtype] of Object.entries(CASTS)) method(name, [], (x, _a, site) => castTensor(site, x, dtype, name));

function toDtypeOrDevice(x: TensorValue, a: Bound, site: CallSite): PyValue {
  const candidates = [...(a.args as PyTuple).items, a.dtype ?? null].filter((v) => v !== null);
  for (const c of candidates) {
    if (isTensor(c)) return castTensor(site, x, c.dtype, 'to');
    try {
      const dtype = parseDtype(c, FLAVOUR);
      if (dtype) return castTensor(site, x, dtype, 'to');
    } catch {
      // a device ('cuda', torch.device): moving devices does not change values
    }
  }
  return x;
}
method('to', ['*args', 'dtype=None', 'non_blocking=False', 'copy=False', 'device=None'], toDtypeOrDevice);
method('type', ['dtype=None', 'non_blocking=False'], (x, a, site) => {
  if (a.dtype === null) return `torch.${{ float32: 'Float', float64: 'Double', int64: 'Long', int32: 'Int', bool: 'Bool', uint8: 'Byte', float16: 'Half', int8: 'Char', int16: 'Short' }[x.dtype]}Tensor`;
  const name = typeof a.dtype === 'string' ? a.dtype.replace(/^torch\.(cuda\.)?/, '').replace(/Tensor$/, '').toLowerCase() : a.dtype;
  return castTensor(site, x, parseDtype(name === 'float' ? 'float32' : name, FLAVOUR) ?? x.dtype, 'type');
});
method('type_as', ['other'], (x, a, site) => castTensor(site, x, T(site, a.other).dtype, 'type_as'));
for (const name of ['cpu', 'cuda', 'contiguous', 'requires_grad_', 'retain_grad', 'pin_memory']) method(name, ['*args', '**kwargs'], (x) => x);
method('clone', ['*', 'memory_format=None'], (x, _a, site) => site.rt.apply(site, 'clone', [x], ([t]) => tf.clone(t), { dtype: x.dtype }));
method('detach', [], (x, _a, site) => site.rt.apply(site, 'detach', [x], ([t]) => tf.clone(t), { dtype: x.dtype, gradient: 'cut' }));
torchFunctions.set('detach', def('torch.detach', ['input'], (a, site) => (tensorMethods.detach as { call: (s: TensorValue, args: { positional: PyValue[]; keywords: Map<string, PyValue> }, site: CallSite) => PyValue }).call(T(site, a.input), { positional: [], keywords: new Map() }, site)));
method('numpy', ['*', 'force=False'], (x) => {
  if (x.requiresGrad) {
    throw runtimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
  }
  return new TensorValue(x.tensor, x.dtype === 'float32' ? 'float32' : x.dtype, 'numpy', x.origin, false, x.producer);
});
method('item', [], (x, _a, site) => {
  site.rt.recordConversion(site, 'item', x);
  const value = tensorScalar(x, 'item()');
  if (isFloatDtype(x.dtype)) return value;
  if (x.dtype === 'bool') return value !== 0;
  return BigInt(value);
});
method('tolist', [], (x, _a, site) => {
  site.rt.recordConversion(site, 'tolist', x);
  const data = Array.from(x.tensor.dataSync() as ArrayLike<number>);
  const convert = (v: number): PyValue => (isFloatDtype(x.dtype) ? v : x.dtype === 'bool' ? v !== 0 : BigInt(v));
  const build = (offset: number, dims: number[]): PyValue => {
    if (!dims.length) return convert(data[offset]);
    const stride = dims.slice(1).reduce((p, d) => p * d, 1);
    return new PyList(Array.from({ length: dims[0] }, (_, i) => build(offset + i * stride, dims.slice(1))));
  };
  return build(0, x.shape);
});
method('size', ['dim=None'], (x, a) => (a.dim === null ? torchSize(x.shape) : BigInt(x.shape[normaliseAxis(intArg(a.dim), x.rank)])));
method('dim', [], (x) => BigInt(x.rank));
method('ndimension', [], (x) => BigInt(x.rank));
method('numel', [], (x) => BigInt(x.size));
method('nelement', [], (x) => BigInt(x.size));
method('element_size', [], (x) => BigInt(x.dtype === 'float64' || x.dtype === 'int64' ? 8 : 4));
method('is_floating_point', [], (x) => isFloatDtype(x.dtype));
method('fill_', ['value'], (x, a, site) => {
  x.assignFrom(castTensor(site, zerosLike(site, x, floatArg(a.value), x.dtype, 'fill_'), x.dtype));
  return x;
});
method('zero_', [], (x, _a, site) => {
  x.assignFrom(zerosLike(site, x, 0, x.dtype, 'zero_'));
  return x;
});
for (const [name, value] of [['new_ones', 1], ['new_zeros', 0]] as const) {
  method(name, ['*size', 'dtype=None', 'device=None', 'requires_grad=False'], (x, a, site) => filled(site, shapeArgs(a, 'size'), value, parseDtype(a.dtype, FLAVOUR) ?? x.dtype, FLAVOUR, name));
}
method('new_full', ['size', 'fill_value', '*', 'dtype=None', 'device=None'], (x, a, site) => filled(site, toShape(a.size), floatArg(a.fill_value), parseDtype(a.dtype, FLAVOUR) ?? x.dtype, FLAVOUR, 'new_full'));
method('new_tensor', ['data', '*', 'dtype=None', 'device=None', 'requires_grad=False'], (x, a, site) => asTensor(site, a.data, FLAVOUR, parseDtype(a.dtype, FLAVOUR) ?? x.dtype));

function torchSize(shape: number[]): PyTuple {
  return new PyTuple(shape.map((d) => BigInt(d)), 'torch.Size');
}

const tensorProperties: Record<string, TensorAttribute> = {
  shape: tensorProperty((x) => torchSize(x.shape)),
  ndim: tensorProperty((x) => BigInt(x.rank)),
  dtype: tensorProperty((x) => dtypeObject(FLAVOUR, x.dtype)),
  device: tensorProperty(() => DEVICE_CPU),
  is_cuda: tensorProperty(() => false),
  requires_grad: tensorProperty((x) => x.requiresGrad),
  grad: tensorProperty(() => null),
  data: tensorProperty((x, site) => site.rt.apply(site, 'data', [x], ([t]) => tf.clone(t), { dtype: x.dtype, gradient: 'cut' })),
  T: tensorProperty((x, site) => permute(site, x, undefined, 'T')),
};

// ------------------------------------------------------------------ creation

function creation(name: string, value: number): void {
  fn(name, ['*size', 'out=None', 'dtype=None', 'layout=None', 'device=None', 'requires_grad=False'], (a, site) =>
    filled(site, shapeArgs(a, 'size'), value, parseDtype(a.dtype, FLAVOUR) ?? 'float32', FLAVOUR, name));
}
creation('ones', 1);
creation('zeros', 0);
creation('empty', 0);
fn('full', ['size', 'fill_value', '*', 'out=None', 'dtype=None', 'layout=None', 'device=None', 'requires_grad=False'], (a, site) => {
  const dtype = parseDtype(a.dtype, FLAVOUR) ?? (typeof a.fill_value === 'bigint' ? 'int64' : typeof a.fill_value === 'boolean' ? 'bool' : 'float32');
  return filled(site, toShape(a.size), floatArg(a.fill_value), dtype, FLAVOUR);
});
for (const [name, value] of [['ones_like', 1], ['zeros_like', 0], ['empty_like', 0]] as const) {
  fn(name, ['input', '*', 'dtype=None', 'layout=None', 'device=None', 'requires_grad=False', 'memory_format=None'], (a, site) => zerosLike(site, T(site, a.input), value, parseDtype(a.dtype, FLAVOUR), name));
}
fn('full_like', ['input', 'fill_value', '*', 'dtype=None', 'layout=None', 'device=None', 'requires_grad=False', 'memory_format=None'], (a, site) => zerosLike(site, T(site, a.input), floatArg(a.fill_value), parseDtype(a.dtype, FLAVOUR)));
for (const name of ['tensor', 'as_tensor', 'from_numpy', 'Tensor', 'FloatTensor', 'LongTensor']) {
  const forced: LogicalDtype | undefined = name === 'FloatTensor' || name === 'Tensor' ? 'float32' : name === 'LongTensor' ? 'int64' : undefined;
  fn(name, ['data', '*', 'dtype=None', 'device=None', 'requires_grad=False', 'pin_memory=False'], (a, site) => {
    const dtype = parseDtype(a.dtype, FLAVOUR) ?? forced;
    if (isTensor(a.data)) {
      // torch.tensor(t) copies and detaches; as_tensor/from_numpy share (numpy arrays never require grad)
      const source = a.data;
      const converted = dtype ? castTensor(site, source, dtype) : source;
      if (name === 'tensor') return site.rt.apply(site, 'tensor', [converted], ([t]) => tf.clone(t), { dtype: converted.dtype, gradient: 'cut', flavour: FLAVOUR });
      return new TensorValue(converted.tensor, converted.dtype, FLAVOUR, converted.origin, converted.requiresGrad, converted.producer);
    }
    return asTensor(site, a.data, FLAVOUR, dtype);
  });
}
fn('arange', ['start', 'end=None', 'step=1', '*', 'out=None', 'dtype=None', 'layout=None', 'device=None', 'requires_grad=False'], (a, site) => {
  const [start, end] = a.end === null ? [0, floatArg(a.start)] : [floatArg(a.start), floatArg(a.end)];
  const anyFloat = [a.start, a.end, a.step].some((v) => typeof v === 'number');
  return arange(site, start, end, floatArg(a.step), parseDtype(a.dtype, FLAVOUR) ?? (anyFloat ? 'float32' : 'int64'), FLAVOUR);
});
fn('linspace', ['start', 'end', 'steps', '*', 'out=None', 'dtype=None', 'layout=None', 'device=None', 'requires_grad=False'], (a, site) => linspace(site, floatArg(a.start), floatArg(a.end), intArg(a.steps), parseDtype(a.dtype, FLAVOUR) ?? 'float32', FLAVOUR));
fn('eye', ['n', 'm=None', '*', 'out=None', 'dtype=None', 'layout=None', 'device=None', 'requires_grad=False'], (a, site) => eye(site, intArg(a.n), a.m === null ? intArg(a.n) : intArg(a.m), parseDtype(a.dtype, FLAVOUR) ?? 'float32', FLAVOUR));
fn('is_tensor', ['obj'], (a) => isTensor(a.obj));
fn('numel', ['input'], (a, site) => BigInt(T(site, a.input).size));
both('bincount', ['weights=None', 'minlength=0'], (x, a, site) => {
  if (isFloatDtype(x.dtype)) throw runtimeError(`"bincount_cpu" not implemented for '${x.dtype === 'float64' ? 'Double' : 'Float'}'`);
  const values = Array.from(x.tensor.dataSync() as ArrayLike<number>, Number);
  if (x.rank !== 1 || values.some((v) => v < 0)) throw runtimeError('bincount only supports 1-d non-negative integral inputs.');
  const minlength = intArg(a.minlength, 'minlength');
  if (minlength < 0) throw runtimeError('minlength should be >= 0');
  const weights = a.weights === null ? null : T(site, a.weights);
  if (weights && (weights.rank !== 1 || weights.size !== x.size)) throw runtimeError('weights should be 1-d and have the same length as input');
  return bincount(site, x, values, minlength, weights, weights && isFloatDtype(weights.dtype) ? weights.dtype : 'float64');
});
fn('manual_seed', ['seed'], () => null);
fn('set_grad_enabled', ['mode'], () => null);

// ------------------------------------------------------------------ dtype, device, no_grad

const DEVICE_CLASS = new PyClass('device', [OBJECT_CLASS], new Map(), undefined, 'torch.device');
const DEVICE_CPU = new PyInstance(DEVICE_CLASS);
DEVICE_CPU.attrs.set('type', 'cpu');
torchFunctions.set('device', new BuiltinFunction('torch.device', () => DEVICE_CPU));

/** `with torch.no_grad():` turns gradient tracking off in its body, as torch does. */
const NO_GRAD = new PyClass('no_grad', [OBJECT_CLASS], new Map<string, PyValue>([
  ['__enter__', def('__enter__', ['self'], (a, site) => {
    (a.self as PyInstance).native = site.rt.gradEnabled;
    site.rt.gradEnabled = false;
    return null;
  })],
  ['__exit__', def('__exit__', ['self', '*args'], (a, site) => {
    site.rt.gradEnabled = (a.self as PyInstance).native as boolean;
    return false;
  })],
]), undefined, 'torch.no_grad');
torchFunctions.set('no_grad', NO_GRAD);

const FINFO = new Map<LogicalDtype, Record<string, number>>([
  ['float32', { eps: 1.1920928955078125e-7, tiny: 1.1754943508222875e-38, max: 3.4028234663852886e38, min: -3.4028234663852886e38 }],
  ['float64', { eps: 2.220446049250313e-16, tiny: 2.2250738585072014e-308, max: Number.MAX_VALUE, min: -Number.MAX_VALUE }],
  ['float16', { eps: 0.0009765625, tiny: 6.103515625e-5, max: 65504, min: -65504 }],
]);
fn('finfo', ['type=None'], (a) => {
  const info = FINFO.get(parseDtype(a.type, FLAVOUR) ?? 'float32');
  if (!info) throw typeError('torch.finfo() requires a floating point input type');
  const object = new PyInstance(OBJECT_CLASS);
  for (const [k, v] of Object.entries(info)) object.attrs.set(k, v);
  return object;
});

for (const [name, value] of dtypeEntries(FLAVOUR, { float32: 'float32', float: 'float32', float64: 'float64', double: 'float64', float16: 'float16', half: 'float16', int64: 'int64', long: 'int64', int32: 'int32', int: 'int32', int16: 'int16', int8: 'int8', uint8: 'uint8', bool: 'bool' })) {
  torchFunctions.set(name, value);
}

const TENSOR_CLASS = new PyClass('Tensor', [OBJECT_CLASS], new Map<string, PyValue>([
  // torch.Tensor(data) builds a float tensor, like torch.FloatTensor
  ['__new__', new BuiltinFunction('torch.Tensor', (args, site) => site.rt.call(torchFunctions.get('FloatTensor')!, { positional: args.positional.slice(1), keywords: args.keywords }, site.range))],
]), undefined, 'torch.Tensor');
TYPE_CLASSES.set(TENSOR_CLASS, (v) => isTensor(v) && v.flavour === 'torch');

// ------------------------------------------------------------------ torch.nn.functional

const functional = new Map<string, PyValue>();
function F(name: string, spec: readonly string[], impl: (a: Bound, site: CallSite) => PyValue, aliases?: Record<string, string>): void {
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
F('sigmoid', ['input'], (a, site) => unaryOp(site, 'sigmoid', a.input, FLAVOUR, tf.sigmoid));
F('logsigmoid', ['input'], (a, site) => unaryOp(site, 'logsigmoid', a.input, FLAVOUR, (t) => tf.neg(tf.softplus(tf.neg(t)))));
F('relu', ['input', 'inplace=False'], (a, site) => unaryOp(site, 'relu', a.input, FLAVOUR, tf.relu, 'same'));
F('tanh', ['input'], (a, site) => unaryOp(site, 'tanh', a.input, FLAVOUR, tf.tanh));
F('softplus', ['input', 'beta=1', 'threshold=20'], (a, site) => {
  const beta = floatArg(a.beta);
  const threshold = floatArg(a.threshold);
  return unaryOp(site, 'softplus', a.input, FLAVOUR, (t) => {
    const scaled = tf.mul(t, beta);
    return tf.where(tf.greater(scaled, threshold), t, tf.div(tf.softplus(scaled), beta));
  });
});
F('one_hot', ['tensor', 'num_classes=-1'], (a, site) => oneHot(site, T(site, a.tensor), intArg(a.num_classes), 'int64'), { input: 'tensor' });
F('cross_entropy', ['input', 'target', 'weight=None', 'size_average=None', 'ignore_index=-100', 'reduce=None', "reduction='mean'", 'label_smoothing=0.0'], (a, site) =>
  torchClassificationLoss(site, 'cross_entropy', T(site, a.input), T(site, a.target), a.weight === null ? undefined : T(site, a.weight), intArg(a.ignore_index), parseReduction(a.reduction), floatArg(a.label_smoothing)));
F('nll_loss', ['input', 'target', 'weight=None', 'size_average=None', 'ignore_index=-100', 'reduce=None', "reduction='mean'"], (a, site) =>
  torchClassificationLoss(site, 'nll_loss', T(site, a.input), T(site, a.target), a.weight === null ? undefined : T(site, a.weight), intArg(a.ignore_index), parseReduction(a.reduction)));
F('binary_cross_entropy', ['input', 'target', 'weight=None', 'size_average=None', 'reduce=None', "reduction='mean'"], (a, site) =>
  torchBinaryCrossEntropy(site, T(site, a.input), T(site, a.target), a.weight === null ? undefined : T(site, a.weight), parseReduction(a.reduction)));
F('binary_cross_entropy_with_logits', ['input', 'target', 'weight=None', 'size_average=None', 'reduce=None', "reduction='mean'", 'pos_weight=None'], (a, site) =>
  torchBinaryCrossEntropyWithLogits(site, T(site, a.input), T(site, a.target), a.weight === null ? undefined : T(site, a.weight), a.pos_weight === null ? undefined : T(site, a.pos_weight), parseReduction(a.reduction)));
for (const [name, f] of [['mse_loss', (d: tf.Tensor) => tf.square(d)], ['l1_loss', (d: tf.Tensor) => tf.abs(d)]] as const) {
  F(name, ['input', 'target', 'size_average=None', 'reduce=None', "reduction='mean'"], (a, site) => {
    const reduction = parseReduction(a.reduction);
    const diff = binaryOp(site, '-', a.input, a.target);
    const loss = unaryOp(site, name, diff, FLAVOUR, f);
    return reduction === 'none' ? loss : reduce(site, reduction, loss, undefined, false, { opName: name });
  });
}

// ------------------------------------------------------------------ torch.nn: Module and loss modules

/** nn.Module: calling an instance runs forward(); parameters/buffers are plain attributes. */
const MODULE_CLASS = new PyClass('Module', [OBJECT_CLASS], new Map<string, PyValue>([
  ['__init__', def('Module.__init__', ['self', '*args', '**kwargs'], (a) => {
    (a.self as PyInstance).attrs.set('training', true);
    return null;
  })],
  ['__call__', new BuiltinFunction('Module.__call__', (args, site) => {
    const self = args.positional[0] as PyInstance;
    const forward = self.cls.lookup('forward');
    if (forward === undefined) {
      throw notImplementedError(`Module [${self.cls.name}] is missing the required "forward" function`);
    }
    return site.rt.call(forward, { positional: args.positional, keywords: args.keywords }, site.range);
  })],
  ['register_buffer', def('Module.register_buffer', ['self', 'name', 'tensor', 'persistent=True'], (a) => {
    (a.self as PyInstance).attrs.set(String(a.name), a.tensor);
    return null;
  })],
  ['to', def('Module.to', ['self', '*args', '**kwargs'], (a) => a.self)],
  ['cuda', def('Module.cuda', ['self', '*args', '**kwargs'], (a) => a.self)],
  ['cpu', def('Module.cpu', ['self'], (a) => a.self)],
  ['train', def('Module.train', ['self', 'mode=True'], (a) => a.self)],
  ['eval', def('Module.eval', ['self'], (a) => a.self)],
  ['parameters', def('Module.parameters', ['self', 'recurse=True'], () => new PyList([]))],
]), undefined, 'torch.nn.Module');

/** A built-in nn module (nn.Softmax(dim=1), nn.BCELoss()) whose forward is a native function. */
function nativeModule(name: string, initSpec: readonly string[], forward: (config: Bound, args: PyValue[], site: CallSite) => PyValue): PyClass {
  return new PyClass(name, [MODULE_CLASS], new Map<string, PyValue>([
    ['__init__', def(`${name}.__init__`, ['self', ...initSpec], (a) => {
      const self = a.self as PyInstance;
      self.native = a;
      for (const [k, v] of Object.entries(a)) if (k !== 'self') self.attrs.set(k, v);
      return null;
    })],
    ['forward', new BuiltinFunction(`${name}.forward`, (args, site) => {
      const self = args.positional[0] as PyInstance;
      return forward(self.native as Bound, args.positional.slice(1), site);
    })],
  ]), undefined, `torch.nn.${name}`);
}

const nn = new Map<string, PyValue>([
  ['Module', MODULE_CLASS],
  ['Softmax', nativeModule('Softmax', ['dim=None'], (c, [x], site) => softmax(site, T(site, x), c.dim === null ? implicitSoftmaxDim(T(site, x).rank) : intArg(c.dim)))],
  ['LogSoftmax', nativeModule('LogSoftmax', ['dim=None'], (c, [x], site) => logSoftmax(site, T(site, x), c.dim === null ? implicitSoftmaxDim(T(site, x).rank) : intArg(c.dim)))],
  ['Sigmoid', nativeModule('Sigmoid', [], (_c, [x], site) => unaryOp(site, 'sigmoid', x, FLAVOUR, tf.sigmoid))],
  ['ReLU', nativeModule('ReLU', ['inplace=False'], (_c, [x], site) => unaryOp(site, 'relu', x, FLAVOUR, tf.relu, 'same'))],
  ['Identity', nativeModule('Identity', ['*args', '**kwargs'], (_c, [x]) => x)],
  ['CrossEntropyLoss', nativeModule('CrossEntropyLoss', ['weight=None', 'size_average=None', 'ignore_index=-100', 'reduce=None', "reduction='mean'", 'label_smoothing=0.0'], (c, [input, target], site) =>
    torchClassificationLoss(site, 'cross_entropy', T(site, input), T(site, target), c.weight === null ? undefined : T(site, c.weight), intArg(c.ignore_index), parseReduction(c.reduction), floatArg(c.label_smoothing)))],
  ['NLLLoss', nativeModule('NLLLoss', ['weight=None', 'size_average=None', 'ignore_index=-100', 'reduce=None', "reduction='mean'"], (c, [input, target], site) =>
    torchClassificationLoss(site, 'nll_loss', T(site, input), T(site, target), c.weight === null ? undefined : T(site, c.weight), intArg(c.ignore_index), parseReduction(c.reduction)))],
  ['BCELoss', nativeModule('BCELoss', ['weight=None', 'size_average=None', 'reduce=None', "reduction='mean'"], (c, [input, target], site) =>
    torchBinaryCrossEntropy(site, T(site, input), T(site, target), c.weight === null ? undefined : T(site, c.weight), parseReduction(c.reduction)))],
  ['BCEWithLogitsLoss', nativeModule('BCEWithLogitsLoss', ['weight=None', 'size_average=None', 'reduce=None', "reduction='mean'", 'pos_weight=None'], (c, [input, target], site) =>
    torchBinaryCrossEntropyWithLogits(site, T(site, input), T(site, target), c.weight === null ? undefined : T(site, c.weight), c.pos_weight === null ? undefined : T(site, c.pos_weight), parseReduction(c.reduction)))],
  ['MSELoss', nativeModule('MSELoss', ['size_average=None', 'reduce=None', "reduction='mean'"], (c, [input, target], site) =>
    site.rt.call(functional.get('mse_loss')!, { positional: [input, target], keywords: new Map([['reduction', c.reduction]]) }, site.range))],
  ['Parameter', def('nn.Parameter', ['data=None', 'requires_grad=True'], (a, site) => T(site, a.data))],
]);

// ------------------------------------------------------------------ registration

registerTensorAttributes(FLAVOUR, { ...tensorMethods, ...tensorProperties });

registerModule('torch', () => new Map<string, PyValue>([...torchFunctions, ['Tensor', TENSOR_CLASS]]));
registerModule('torch.nn', () => nn);
registerModule('torch.nn.functional', () => functional);
registerModule('torch.cuda', () => new Map<string, PyValue>([['is_available', new BuiltinFunction('is_available', () => false)], ['device_count', new BuiltinFunction('device_count', () => 0n)]]));
registerModule('torch.nn.modules', () => new Map());
registerModule('torch.nn.modules.loss', () => new Map<string, PyValue>([['_Loss', MODULE_CLASS], ['_WeightedLoss', MODULE_CLASS]]));
registerModule('torch.autograd', () => new Map());
