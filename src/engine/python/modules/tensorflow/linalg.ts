// Products, contractions and norms: tf.matmul, tf.tensordot (as an einsum), tf.einsum, tf.norm,
// tf.math.l2_normalize and tf.linalg.matrix_transpose.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { InterpreterError, invalidArgumentError, valueError } from '../../errors';
import { reductionKind } from '../../opKinds';
import { binaryOp } from '../../ops/elementwise';
import { einsum as einsumOp } from '../../ops/nn';
import { absSignGrad, reduceExtreme } from '../../ops/select';
import { permute } from '../../ops/shape';
import { toFloat, toInt, truthy } from '../../protocols';
import type { TensorValue } from '../../tensor';
import { PyList, PyTuple, type PyValue } from '../../values';
import { T, TF_FLAVOUR, requireFloat, sameDtype, tfAxes, tfOperands } from './arguments';
import { fn, linalg, math, nn, top } from './tables';

function tfMatmul(
  site: CallSite,
  aValue: PyValue,
  bValue: PyValue,
  transposeA: boolean,
  transposeB: boolean,
): TensorValue {
  let [a, b] = tfOperands(site, 'BatchMatMulV2', aValue, bValue);
  if (a.rank < 2 || b.rank < 2) {
    throw invalidArgumentError(
      `In[0] and In[1] must have rank >= 2, but got shapes [${a.shape.join(', ')}] and ` +
        `[${b.shape.join(', ')}] [Op:MatMul]`,
    );
  }
  const swapLast = (x: TensorValue) =>
    permute(site, x, [...x.shape.slice(0, -2).map((_, i) => i), x.rank - 1, x.rank - 2], 'transpose');
  if (transposeA) a = swapLast(a);
  if (transposeB) b = swapLast(b);
  if (a.shape[a.rank - 1] !== b.shape[b.rank - 2]) {
    throw invalidArgumentError(
      `Matrix size-incompatible: In[0]: [${a.shape.join(',')}], In[1]: ` + `[${b.shape.join(',')}] [Op:MatMul]`,
    );
  }
  return binaryOp(site, '@', a, b, 'matmul');
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** tf.tensordot as an einsum: `axes` an int N (last N of a with first N of b) or a pair of axis lists. */
function tfTensordot(site: CallSite, aValue: PyValue, bValue: PyValue, axesValue: PyValue): TensorValue {
  const [a, b] = tfOperands(site, 'MatMul', aValue, bValue);
  let axesA: number[];
  let axesB: number[];
  if (axesValue instanceof PyList || axesValue instanceof PyTuple) {
    if (axesValue.items.length !== 2) throw valueError('`axes` must be an integer or have length 2');
    const pick = (v: PyValue) =>
      v instanceof PyList || v instanceof PyTuple ? v.items.map((i) => toInt(i)) : [toInt(v)];
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
  if (a.rank + b.rank > LETTERS.length)
    throw new InterpreterError('unsupported', 'unsupported: tensordot of tensors of such high rank');
  const specA = LETTERS.slice(0, a.rank).split('');
  const specB = LETTERS.slice(a.rank, a.rank + b.rank).split('');
  axesA.forEach((ax, i) => {
    if (a.shape[ax] !== b.shape[axesB[i]]) {
      throw invalidArgumentError(
        `tensordot: dimension ${ax} of a (${a.shape[ax]}) does not match dimension ` +
          `${axesB[i]} of b (${b.shape[axesB[i]]})`,
      );
    }
    specB[axesB[i]] = specA[ax];
  });
  const out = [...specA.filter((_, i) => !axesA.includes(i)), ...specB.filter((_, i) => !axesB.includes(i))].join('');
  return einsumOp(site, `${specA.join('')},${specB.join('')}->${out}`, [a, b], TF_FLAVOUR);
}

/** tf.math.l2_normalize: x * rsqrt(max(Σ x², epsilon)) over `axis` (all axes for None). */
export function l2Normalize(site: CallSite, value: PyValue, axis: PyValue, epsilon: number): TensorValue {
  const x = T(site, value);
  requireFloat(x, 'L2Normalize');
  const dims = tfAxes(axis, x.rank, 'l2_normalize');
  return site.rt.apply(
    site,
    'l2_normalize',
    [x],
    ([t]) => {
      const sq = tf.sum(tf.mul(t, t), dims, true);
      return tf.mul(t, tf.rsqrt(tf.maximum(sq, tf.scalar(epsilon))));
    },
    { kind: { category: 'normalization', norm: 'l2', axes: dims ?? null }, dtype: x.dtype },
  );
}

function norm(site: CallSite, value: PyValue, ord: PyValue, axis: PyValue, keepdims: boolean): TensorValue {
  const x = T(site, value);
  requireFloat(x, 'Norm');
  const dims = tfAxes(axis, x.rank, 'norm');
  const p = ord === 'euclidean' || ord === 'fro' || ord === null ? 2 : toFloat(ord, 'ord');
  return site.rt.apply(
    site,
    'norm',
    [x],
    ([t]) => {
      if (p === 1) return tf.sum(absSignGrad(t), dims, keepdims);
      if (p === Infinity) return reduceExtreme(absSignGrad(t), 'max', dims, keepdims);
      if (p === 2) return tf.sqrt(tf.sum(tf.mul(t, t), dims, keepdims));
      return tf.pow(tf.sum(tf.pow(absSignGrad(t), p), dims, keepdims), 1 / p);
    },
    { kind: { ...reductionKind('norm', dims, keepdims), ord: p }, dtype: x.dtype },
  );
}

fn([top, linalg], 'einsum', ['equation', '*inputs', '**kwargs'], (a, site) => {
  let operands = (a.inputs as PyTuple).items;
  if (operands.length === 1 && (operands[0] instanceof PyList || operands[0] instanceof PyTuple))
    operands = (operands[0] as PyList).items;
  const items = sameDtype(site, 'Einsum', [...operands]);
  return einsumOp(site, String(a.equation), items, TF_FLAVOUR);
});
fn(
  [top, linalg],
  'matmul',
  [
    'a',
    'b',
    'transpose_a=False',
    'transpose_b=False',
    'adjoint_a=False',
    'adjoint_b=False',
    'a_is_sparse=False',
    'b_is_sparse=False',
    'output_type=None',
    'name=None',
  ],
  (a, site) =>
    tfMatmul(
      site,
      a.a,
      a.b,
      truthy(a.transpose_a) || truthy(a.adjoint_a),
      truthy(a.transpose_b) || truthy(a.adjoint_b),
    ),
);
fn([top, linalg], 'tensordot', ['a', 'b', 'axes', 'name=None'], (a, site) => tfTensordot(site, a.a, a.b, a.axes));
fn([top, linalg, math], 'norm', ['tensor', "ord='euclidean'", 'axis=None', 'keepdims=None', 'name=None'], (a, site) =>
  norm(site, a.tensor, a.ord, a.axis, truthy(a.keepdims)),
);
fn([math, nn, linalg], 'l2_normalize', ['x', 'axis=None', 'epsilon=1e-12', 'name=None', 'dim=None'], (a, site) =>
  l2Normalize(site, a.x, a.axis ?? a.dim, toFloat(a.epsilon)),
);
fn([linalg], 'matrix_transpose', ['a', "name='matrix_transpose'", 'conjugate=False'], (a, site) => {
  const x = T(site, a.a);
  if (x.rank < 2) throw valueError('Argument `a` should be a (batch) matrix with rank >= 2');
  return permute(site, x, [...x.shape.slice(0, -2).map((_, i) => i), x.rank - 1, x.rank - 2], 'matrix_transpose');
});
