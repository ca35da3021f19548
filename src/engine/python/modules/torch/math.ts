// Elementwise math: unary functions (zero gradients for round/floor/ceil/sign/trunc), the binary
// arithmetic and comparison functions with their in-place variants, maximum/minimum, logical ops,
// clamp, masked_fill, where, matmul/mm/bmm/dot, einsum, and the softmax/log_softmax activations.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { runtimeError, typeError } from '../../errors';
import {
  type OpKind,
  activationKind,
  comparisonKind,
  elementwiseKind,
  logicalKind,
  predicateKind,
  roundingKind,
  unaryKind,
} from '../../opKinds';
import { broadcastShapes, castTensor } from '../../ops/coercion';
import { indexTensor } from '../../ops/indexing';
import { broadcastTo } from '../../ops/shape';
import { tensorMethod } from '../../attributes';
import { binaryFunction, binaryOp, clip, unaryOp, where } from '../../ops/elementwise';
import { einsum, implicitSoftmaxDim, logSoftmax, softmax } from '../../ops/nn';
import { reduce } from '../../ops/reduce';
import { xlogyKernel } from '../../ops/select';
import { detach } from '../../runtime';
import { tensorScalar } from '../../protocols';
import { type TensorValue, isFloatDtype } from '../../tensor';
import { PyList, PyTuple, type PyValue } from '../../values';
import { nonzeroTuple } from './sort';
import { type Bound, boolArg, floatArg, intArg } from '../common';
import { FLAVOUR, T } from './arguments';
import { both, fn, method, tensorMethods, torchFunctions } from './tables';

type Unary = [(t: tf.Tensor) => tf.Tensor, OpKind];

const FLOAT_UNARY: Record<string, Unary> = {
  exp: [tf.exp, unaryKind('exp')],
  log: [tf.log, unaryKind('log')],
  log1p: [tf.log1p, unaryKind('log1p')],
  log2: [(t) => tf.div(tf.log(t), Math.LN2), unaryKind('log2')],
  log10: [(t) => tf.div(tf.log(t), Math.LN10), unaryKind('log10')],
  sqrt: [tf.sqrt, unaryKind('sqrt')],
  rsqrt: [tf.rsqrt, unaryKind('rsqrt')],
  sigmoid: [tf.sigmoid, activationKind('sigmoid')],
  tanh: [tf.tanh, activationKind('tanh')],
  sin: [tf.sin, unaryKind('sin')],
  cos: [tf.cos, unaryKind('cos')],
  expm1: [tf.expm1, unaryKind('expm1')],
  reciprocal: [tf.reciprocal, unaryKind('reciprocal')],
  erf: [tf.erf, unaryKind('erf')],
  square: [tf.square, unaryKind('square')],
  cosh: [tf.cosh, unaryKind('cosh')],
  sinh: [tf.sinh, unaryKind('sinh')],
  tan: [tf.tan, unaryKind('tan')],
  atan: [tf.atan, unaryKind('atan')],
  asin: [tf.asin, unaryKind('asin')],
  acos: [tf.acos, unaryKind('acos')],
  logit: [(t) => tf.log(tf.div(t, tf.sub(1, t))), unaryKind('logit')],
  softplus: [tf.softplus, activationKind('softplus')],
};
for (const [name, [f, kind]] of Object.entries(FLOAT_UNARY)) {
  both(name, [], (x, _a, site) => unaryOp(site, name, kind, x, FLAVOUR, f, name === 'square' ? 'same' : 'float'));
}
both('is_floating_point', [], (x) => isFloatDtype(x.dtype));
both('abs', [], (x, _a, site) => unaryOp(site, 'abs', unaryKind('abs'), x, FLAVOUR, tf.abs, 'same'));
both('neg', [], (x, _a, site) => unaryOp(site, 'neg', unaryKind('neg'), x, FLAVOUR, tf.neg, 'same'));
both('relu', [], (x, _a, site) => unaryOp(site, 'relu', activationKind('relu'), x, FLAVOUR, tf.relu, 'same'));
// torch gives these a zero gradient (the result still requires grad).
const trunc = (t: tf.Tensor) => tf.mul(tf.sign(t), tf.floor(tf.abs(t)));
const ROUNDING = [
  ['round', tf.round],
  ['floor', tf.floor],
  ['ceil', tf.ceil],
  ['sign', tf.sign],
  ['trunc', trunc],
] as const;
for (const [name, f] of ROUNDING) {
  both(name, [], (x, _a, site) => unaryOp(site, name, roundingKind(name), x, FLAVOUR, f, 'same', 'zero'));
}
for (const [name, f] of [
  ['isnan', tf.isNaN],
  ['isinf', tf.isInf],
  ['isfinite', tf.isFinite],
] as const) {
  both(name, [], (x, _a, site) => unaryOp(site, name, predicateKind(name), x, FLAVOUR, f, 'bool'));
}
both('logical_not', [], (x, _a, site) =>
  unaryOp(site, 'logical_not', logicalKind('not'), castTensor(site, x, 'bool'), FLAVOUR, tf.logicalNot, 'bool'),
);
both('nan_to_num', ['nan=0.0', 'posinf=None', 'neginf=None'], (x, a, site) => {
  const nan = floatArg(a.nan);
  const posinf = a.posinf === null ? 3.4028234663852886e38 : floatArg(a.posinf);
  const neginf = a.neginf === null ? -3.4028234663852886e38 : floatArg(a.neginf);
  return unaryOp(
    site,
    'nan_to_num',
    unaryKind('nan_to_num'),
    x,
    FLAVOUR,
    (t) => {
      // Masks from a detached copy: TF.js has no gradient for IsNan/Equal on the tape.
      const plain = detach(t);
      const noNan = tf.where(tf.isNaN(plain), tf.fill(t.shape, nan), t);
      return tf.where(
        tf.equal(plain, Infinity),
        tf.fill(t.shape, posinf),
        tf.where(tf.equal(plain, -Infinity), tf.fill(t.shape, neginf), noNan),
      );
    },
    'same',
  );
});

const BINARY_OPS: Record<string, '+' | '-' | '*' | '/' | '**' | '==' | '!=' | '>' | '>=' | '<' | '<=' | '%' | '//'> = {
  add: '+',
  sub: '-',
  subtract: '-',
  mul: '*',
  multiply: '*',
  div: '/',
  divide: '/',
  true_divide: '/',
  pow: '**',
  eq: '==',
  ne: '!=',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
  greater: '>',
  less: '<',
  remainder: '%',
  floor_divide: '//',
};
for (const [name, op] of Object.entries(BINARY_OPS)) {
  both(
    name,
    ['other', '*', 'alpha=None'],
    (x, a, site) => {
      const other =
        a.alpha !== null && (op === '+' || op === '-') ? binaryOp(site, '*', T(site, a.other), a.alpha) : a.other;
      return binaryOp(site, op, x, other);
    },
    { exponent: 'other' },
  );
  if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'greater', 'less'].includes(name)) {
    // In-place variants (x.mul_(y)): same result, rebound into the tensor object.
    method(`${name}_`, ['other', '*', 'alpha=None'], (x, a, site) => {
      x.assignFrom(binaryOp(site, op, x, a.other));
      return x;
    });
  }
}
const EXTREMA = [
  ['maximum', tf.maximum, 'maximum'],
  ['minimum', tf.minimum, 'minimum'],
  ['fmax', tf.maximum, 'maximum'],
  ['fmin', tf.minimum, 'minimum'],
] as const;
for (const [name, f, operator] of EXTREMA) {
  both(name, ['other'], (x, a, site) => binaryFunction(site, name, elementwiseKind(operator), x, a.other, f, FLAVOUR));
}
const LOGICAL = [
  ['logical_and', tf.logicalAnd, 'and'],
  ['logical_or', tf.logicalOr, 'or'],
  ['logical_xor', tf.logicalXor, 'xor'],
] as const;
for (const [name, f, operator] of LOGICAL) {
  both(name, ['other'], (x, a, site) => {
    const [p, q] = [castTensor(site, x, 'bool'), castTensor(site, T(site, a.other), 'bool')];
    return binaryFunction(site, name, logicalKind(operator), p, q, f, FLAVOUR, 'cut');
  });
}
both('clamp', ['min=None', 'max=None'], (x, a, site) => clip(site, x, a.min, a.max, FLAVOUR));
tensorMethods.clip = tensorMethods.clamp;
torchFunctions.set('clip', torchFunctions.get('clamp')!);
method('clamp_', ['min=None', 'max=None'], (x, a, site) => {
  x.assignFrom(clip(site, x, a.min, a.max, FLAVOUR));
  return x;
});
tensorMethods.clip_ = tensorMethods.clamp_;
both('clamp_min', ['min'], (x, a, site) => clip(site, x, a.min, null, FLAVOUR));
both('clamp_max', ['max'], (x, a, site) => clip(site, x, null, a.max, FLAVOUR));
method('clamp_min_', ['min'], (x, a, site) => {
  x.assignFrom(clip(site, x, a.min, null, FLAVOUR));
  return x;
});
method('clamp_max_', ['max'], (x, a, site) => {
  x.assignFrom(clip(site, x, null, a.max, FLAVOUR));
  return x;
});
both('masked_fill', ['mask', 'value'], (x, a, site) => where(site, a.mask, a.value, x, FLAVOUR));
fn(
  'where',
  ['condition', 'input=None', 'other=None'],
  (a, site) => {
    // torch.where(condition) is torch.nonzero(condition, as_tuple=True)
    if (a.input === null && a.other === null) return nonzeroTuple(site, a.condition);
    if (a.input === null || a.other === null) throw typeError('where() missing required argument: input or other');
    return where(site, a.condition, a.input, a.other, FLAVOUR);
  },
  { self: 'input' },
);
// x.where(condition, y) is torch.where(condition, x, y)
method('where', ['condition', 'y'], (x, a, site) => where(site, a.condition, x, a.y, FLAVOUR), { other: 'y' });
both('matmul', ['other'], (x, a, site) => binaryOp(site, '@', x, a.other));
both('mm', ['mat2'], (x, a, site) => binaryOp(site, '@', x, a.mat2));
both('bmm', ['mat2'], (x, a, site) => binaryOp(site, '@', x, a.mat2));
both('dot', ['other'], (x, a, site) =>
  reduce(site, 'sum', binaryOp(site, '*', x, a.other), undefined, false, { opName: 'dot' }),
);
fn('einsum', ['equation', '*operands'], (a, site) => {
  let operands = (a.operands as PyTuple).items;
  if (operands.length === 1 && (operands[0] instanceof PyList || operands[0] instanceof PyTuple))
    operands = (operands[0] as PyList).items;
  return einsum(
    site,
    String(a.equation),
    operands.map((o) => T(site, o)),
    FLAVOUR,
  );
});

// ------------------------------------------------------------------ activations

both('softmax', ['dim=None', '_stacklevel=3', 'dtype=None'], (x, a, site) =>
  softmax(site, x, a.dim === null ? implicitSoftmaxDim(x.rank) : intArg(a.dim, 'dim')),
);
both('log_softmax', ['dim=None', '_stacklevel=3', 'dtype=None'], (x, a, site) =>
  logSoftmax(site, x, a.dim === null ? implicitSoftmaxDim(x.rank) : intArg(a.dim, 'dim')),
);

// ------------------------------------------------------------------ closeness

/** torch.isclose: |x − y| ≤ atol + rtol·|y| where finite, equality elsewhere; both dtypes must match. */
function isclose(site: CallSite, x: TensorValue, other: PyValue, a: Bound): TensorValue {
  const y = T(site, other);
  if (x.dtype !== y.dtype) throw runtimeError(`${x.dtype} did not match ${y.dtype}`);
  const [rtol, atol, equalNan] = [floatArg(a.rtol), floatArg(a.atol), boolArg(a.equal_nan)];
  if (rtol < 0) throw runtimeError(`rtol must be greater than or equal to zero, but got ${rtol}`);
  if (atol < 0) throw runtimeError(`atol must be greater than or equal to zero, but got ${atol}`);
  return binaryFunction(
    site,
    'isclose',
    comparisonKind('isclose'),
    x,
    y,
    (p, q) => {
      const [fp, fq] = [tf.cast(p, 'float32'), tf.cast(q, 'float32')];
      const error = tf.abs(tf.sub(fp, fq));
      let close = tf.logicalOr(
        tf.equal(fp, fq),
        tf.logicalAnd(tf.isFinite(error), tf.lessEqual(error, tf.add(atol, tf.mul(rtol, tf.abs(fq))))),
      );
      if (equalNan) close = tf.logicalOr(close, tf.logicalAnd(tf.isNaN(fp), tf.isNaN(fq)));
      return close;
    },
    FLAVOUR,
    'cut',
    'bool',
  );
}
const CLOSE_SPEC = ['other', 'rtol=1e-05', 'atol=1e-08', 'equal_nan=False'];
both('isclose', CLOSE_SPEC, (x, a, site) => isclose(site, x, a.other, a));
both('allclose', CLOSE_SPEC, (x, a, site) => {
  const close = isclose(site, x, a.other, a);
  const all = reduce(site, 'all', close, undefined, false, { opName: 'allclose' });
  site.rt.recordConversion(site, 'allclose', all, 'scalar');
  return tensorScalar(all, 'allclose()') !== 0;
});

/** torch.xlogy(x, y): x·log(y), 0 where x == 0 (torch's gradients: see xlogyKernel). */
export function torchXlogy(site: CallSite, x: PyValue, y: PyValue): TensorValue {
  const [p, q] = [T(site, x), T(site, y)];
  const float = (t: TensorValue) => (isFloatDtype(t.dtype) ? t : castTensor(site, t, 'float32'));
  const kind = { category: 'elementwise', operator: 'xlogy', guarded: true } as const;
  return binaryFunction(site, 'xlogy', kind, float(p), float(q), xlogyKernel, FLAVOUR);
}
both('xlogy', ['other'], (x, a, site) => torchXlogy(site, x, a.other));

// In-place variants of the elementwise functions ((x - y).abs_().pow_(2).neg_()): the same result,
// rebound into the tensor object.
for (const name of [...Object.keys(FLOAT_UNARY), 'abs', 'neg', 'relu', 'round', 'floor', 'ceil', 'sign', 'trunc']) {
  const outOfPlace = tensorMethods[name];
  if (outOfPlace?.kind !== 'method' || tensorMethods[`${name}_`]) continue;
  tensorMethods[`${name}_`] = tensorMethod((x, args, site) => {
    x.assignFrom(outOfPlace.call(x, args, site) as TensorValue);
    return x;
  });
}
for (const name of ['maximum', 'minimum', 'logical_and', 'logical_or', 'masked_fill', 'clamp_min', 'clamp_max']) {
  const outOfPlace = tensorMethods[name];
  if (outOfPlace?.kind !== 'method' || tensorMethods[`${name}_`]) continue;
  tensorMethods[`${name}_`] = tensorMethod((x, args, site) => {
    x.assignFrom(outOfPlace.call(x, args, site) as TensorValue);
    return x;
  });
}

/** masked_select(mask): the entries where the (broadcast) mask is true, as a 1-D tensor; the gradient follows them. */
both('masked_select', ['mask'], (x, a, site) => {
  const mask = T(site, a.mask);
  if (mask.dtype !== 'bool') throw runtimeError(`masked_select: expected BoolTensor for mask`);
  const shape = broadcastShapes(x.shape, mask.shape);
  const expanded = x.shape.join(',') === shape.join(',') ? x : broadcastTo(site, x, shape, 'masked_select');
  const full = mask.shape.join(',') === shape.join(',') ? mask : broadcastTo(site, mask, shape, 'masked_select');
  return indexTensor(site, expanded, full);
});

// ------------------------------------------------------------------ addcmul, addcdiv

/**
 * torch.addcmul(input, tensor1, tensor2, *, value=1): input + value·tensor1·tensor2, and addcdiv with
 * a division, traced as the products and the sum they are. The overload torch 1.13 still accepts with
 * a warning, addcmul(input, value, tensor1, tensor2), passes the value first.
 */
function addcombined(site: CallSite, x: TensorValue, a: Bound, op: '*' | '/'): TensorValue {
  const name = op === '*' ? 'addcmul' : 'addcdiv';
  const legacy = a.legacy_tensor2 !== null;
  const [value, first, second] = legacy ? [a.tensor1, a.tensor2, a.legacy_tensor2] : [a.value, a.tensor1, a.tensor2];
  const [t1, t2] = [T(site, first), T(site, second)];
  if (op === '/' && !isFloatDtype(t1.dtype) && !isFloatDtype(t2.dtype)) {
    throw runtimeError(
      'Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true ' +
        'division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * ' +
        'torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / ' +
        'tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value ' +
        '* tensor1 / tensor2), for all dtypes.',
    );
  }
  // torch's kernel computes input + value * tensor1 (op) tensor2, left to right
  const scaled = value === 1n || value === 1 ? t1 : binaryOp(site, '*', value, t1, name);
  return binaryOp(site, '+', x, binaryOp(site, op, scaled, t2, name), name);
}
const ADDCOMBINED_SPEC = ['tensor1', 'tensor2', 'legacy_tensor2=None', '*', 'value=1'];
for (const [name, op] of [
  ['addcmul', '*'],
  ['addcdiv', '/'],
] as const) {
  both(name, ADDCOMBINED_SPEC, (x, a, site) => addcombined(site, x, a, op));
  method(`${name}_`, ADDCOMBINED_SPEC, (x, a, site) => {
    x.assignFrom(addcombined(site, x, a, op));
    return x;
  });
}
