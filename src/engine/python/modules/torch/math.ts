// Elementwise math: unary functions (zero gradients for round/floor/ceil/sign/trunc), the binary
// arithmetic and comparison functions with their in-place variants, maximum/minimum, logical ops,
// clamp, masked_fill, where, matmul/mm/bmm/dot, einsum, and the softmax/log_softmax activations.
import * as tf from '@tensorflow/tfjs';
import { InterpreterError } from '../../errors';
import { castTensor } from '../../ops/coercion';
import { binaryFunction, binaryOp, clip, unaryOp, where } from '../../ops/elementwise';
import { einsum, implicitSoftmaxDim, logSoftmax, softmax } from '../../ops/nn';
import { reduce } from '../../ops/reduce';
import { detach } from '../../runtime';
import { PyList, PyTuple } from '../../values';
import { floatArg, intArg } from '../common';
import { FLAVOUR, T } from './arguments';
import { both, fn, method, tensorMethods, torchFunctions } from './tables';

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
