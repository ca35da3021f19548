// Helpers for the array-library tables (numpy, theano): tie rules of elementwise maximum/minimum
// and max/min reductions, numpy-style dot, and sorting. Everything here is a TF.js-level function
// meant to run inside Runtime.apply (or, for the *Value helpers, to go through it).
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../callsite';
import { valueError } from '../errors';
import { elementwiseKind } from '../opKinds';
import { type LogicalDtype, TensorValue } from '../tensor';
import { castTensor } from './coercion';
import { coerceOperands } from './elementwise';
import { gatherAlong } from './indexing';

/** Sums a broadcast gradient back to the shape of the input it belongs to. */
function sumToShape(g: tf.Tensor, shape: number[]): tf.Tensor {
  let out = g;
  const extra = out.rank - shape.length;
  if (extra > 0)
    out = tf.sum(
      out,
      Array.from({ length: extra }, (_, i) => i),
    );
  const axes = shape.flatMap((d, i) => (d === 1 && out.shape[i] !== 1 ? [i] : []));
  if (axes.length) out = tf.sum(out, axes, true);
  return tf.reshape(out, shape);
}

/**
 * How an elementwise maximum/minimum splits the gradient of a tie:
 * 'split' half to each input (torch.maximum, and so autograd-style numpy), 'both' all of it to
 * each input (Theano's Maximum: gz * eq(out, x) and gz * eq(out, y)).
 */
type TieRule = 'split' | 'both';

type Custom = Parameters<typeof tf.customGrad>[0];

export function extremumWithTies(kind: 'max' | 'min', ties: TieRule): (x: tf.Tensor, y: tf.Tensor) => tf.Tensor {
  const plain = (x: tf.Tensor, y: tf.Tensor) => (kind === 'max' ? tf.maximum(x, y) : tf.minimum(x, y));
  return (x, y) => {
    if (x.dtype !== 'float32' || y.dtype !== 'float32') return plain(x, y);
    return tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
      const value = plain(a, b);
      save([a, b, value]);
      return {
        value,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sa, sb, sv] = saved;
          const eqA = tf.cast(tf.equal(sa, sv), 'float32');
          const eqB = tf.cast(tf.equal(sb, sv), 'float32');
          let wa = eqA;
          let wb = eqB;
          if (ties === 'split') {
            const tie = tf.mul(eqA, eqB);
            wa = tf.sub(eqA, tf.mul(tie, 0.5));
            wb = tf.sub(eqB, tf.mul(tie, 0.5));
          }
          return [sumToShape(tf.mul(dy, wa), sa.shape), sumToShape(tf.mul(dy, wb), sb.shape)];
        },
      };
    }) as unknown as Custom)(x, y) as tf.Tensor;
  };
}

/**
 * max/min reduction whose gradient is shared evenly between tied extrema (torch.amax, which the
 * numpy golden shim uses); TF.js's own gives every tied element the full gradient (Theano's rule).
 */
export function evenExtremum(
  t: tf.Tensor,
  kind: 'max' | 'min',
  axes: number[] | undefined,
  keepdims: boolean,
): tf.Tensor {
  const reduceFn = (x: tf.Tensor, keep: boolean) => (kind === 'max' ? tf.max(x, axes, keep) : tf.min(x, axes, keep));
  if (t.dtype !== 'float32') return reduceFn(t, keepdims);
  const all = axes ?? t.shape.map((_, i) => i);
  const keptShape = t.shape.map((d, i) => (all.includes(i) ? 1 : d));
  return tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const value = reduceFn(x, keepdims);
    const kept = tf.reshape(value, keptShape);
    save([x, kept]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sk] = saved;
        const mask = tf.cast(tf.equal(sx, sk), 'float32');
        const count = tf.sum(mask, all, true);
        return tf.mul(tf.div(mask, count), tf.reshape(dy, keptShape));
      },
    };
  }) as unknown as Custom)(t) as tf.Tensor;
}

/**
 * numpy.dot / theano.tensor.dot: scalars multiply, 1-D·1-D is the inner product, otherwise the
 * sum over the last axis of `a` and the second-to-last of `b` (not a broadcasting matmul).
 */
export function dotValue(site: CallSite, a: TensorValue, b: TensorValue, opName = 'dot'): TensorValue {
  const [x, y, dtype] = coerceOperands(site, a, b);
  if (x.rank === 0 || y.rank === 0) {
    // a scalar operand makes dot a product
    const broadcast = x.shape.join(',') !== y.shape.join(',');
    return site.rt.apply(site, opName, [x, y], ([p, q]) => tf.mul(p, q), {
      kind: elementwiseKind('mul'),
      dtype,
      broadcast,
    });
  }
  const k = x.shape[x.rank - 1];
  const kb = y.rank === 1 ? y.shape[0] : y.shape[y.rank - 2];
  if (k !== kb) {
    // NumPy writes shapes as tuples: (3,) for one dimension.
    const tuple = (t: TensorValue) => `(${t.shape.join(',')}${t.rank === 1 ? ',' : ''})`;
    throw valueError(
      `shapes ${tuple(x)} and ${tuple(y)} not aligned: ` +
        `${k} (dim ${x.rank - 1}) != ${kb} (dim ${Math.max(0, y.rank - 2)})`,
    );
  }
  const outShape = [...x.shape.slice(0, -1), ...(y.rank === 1 ? [] : [...y.shape.slice(0, -2), y.shape[y.rank - 1]])];
  site.rt.guard.checkTensorElements(outShape, `the result of ${opName}`);
  return site.rt.apply(
    site,
    opName,
    [x, y],
    ([p, q]) => {
      const left = tf.reshape(p, [-1, k]);
      let right: tf.Tensor;
      if (y.rank === 1) right = tf.reshape(q, [k, 1]);
      else {
        const perm = [y.rank - 2, ...y.shape.map((_, i) => i).filter((i) => i !== y.rank - 2)];
        right = tf.reshape(tf.transpose(q, perm), [k, -1]);
      }
      return tf.reshape(tf.matMul(left, right), outShape);
    },
    { kind: { category: 'contraction', method: 'dot' }, dtype },
  );
}

/** How to order a sort: descending (NaN first, as torch's descending sort), and only the first `k` of each row. */
export interface SortOrder {
  descending?: boolean;
  k?: number;
}

/**
 * Indices that sort each row along `axis` (ascending, NaN last: numpy's and torch's order; ties keep
 * their order), read synchronously. `moved` is the shape with `axis` last and cut to `k`.
 */
export function argsortIndices(
  x: TensorValue,
  axis: number,
  order: SortOrder = {},
): { moved: number[]; perm: number[]; indices: Int32Array } {
  const perm = [...x.shape.map((_, i) => i).filter((i) => i !== axis), axis];
  const n = x.shape[axis];
  const k = order.k ?? n;
  const moved = [...perm.slice(0, -1).map((p) => x.shape[p]), k];
  const data = tf.tidy(() => tf.transpose(x.tensor, perm).dataSync());
  const rows = n === 0 ? 0 : data.length / n;
  const indices = new Int32Array(rows * k);
  const positions = Array.from({ length: n }, (_, i) => i);
  const sign = order.descending ? -1 : 1;
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    const row = positions.slice();
    row.sort((i, j) => {
      const a = Number(data[base + i]);
      const b = Number(data[base + j]);
      if (Number.isNaN(a)) return Number.isNaN(b) ? i - j : sign;
      if (Number.isNaN(b)) return -sign;
      return a < b ? -sign : a > b ? sign : i - j;
    });
    for (let c = 0; c < k; c++) indices[r * k + c] = row[c];
  }
  return { moved, perm, indices };
}

/** The inverse of a permutation. */
const inversePermutation = (perm: number[]) => perm.map((_, i) => perm.indexOf(i));

/** Sorted values along `axis` (the gradient follows the values to their new places). */
export function sortValue(
  site: CallSite,
  x: TensorValue,
  axis: number,
  opName = 'sort',
  order: SortOrder = {},
): TensorValue {
  const { moved, perm, indices } = argsortIndices(x, axis, order);
  const n = x.shape[axis];
  const k = moved[moved.length - 1];
  const flat = Int32Array.from(indices, (idx, i) => Math.floor(i / k) * n + idx);
  return site.rt.apply(
    site,
    opName,
    [x],
    ([t]) => {
      const rows = tf.reshape(tf.transpose(t, perm), [-1]);
      const sorted = tf.reshape(gatherAlong(rows, flat, 0), moved);
      return tf.transpose(sorted, inversePermutation(perm));
    },
    { kind: { category: 'sort', output: 'values', axis }, dtype: x.dtype },
  );
}

/** Sorting indices along `axis` as an integer tensor (no gradient). */
export function argsortValue(
  site: CallSite,
  x: TensorValue,
  axis: number,
  dtype: LogicalDtype,
  opName = 'argsort',
  order: SortOrder = {},
): TensorValue {
  const { moved, perm, indices } = argsortIndices(x, axis, order);
  const sorted = () => tf.transpose(tf.tensor(indices, moved, 'int32'), inversePermutation(perm));
  return site.rt.apply(site, opName, [x], sorted, {
    kind: { category: 'sort', output: 'indices', axis },
    dtype,
    gradient: 'cut',
  });
}

/** Repeats each element `counts[i]` times along `axis` (numpy.repeat), keeping the gradient. */
export function repeatValue(
  site: CallSite,
  x: TensorValue,
  counts: number[],
  axis: number,
  opName = 'repeat',
): TensorValue {
  const size = x.shape[axis];
  if (counts.length === 1 && size !== 1) counts = Array(size).fill(counts[0]);
  if (counts.length !== size)
    throw valueError(`operands could not be broadcast together with shape (${size},) (${counts.length},)`);
  if (counts.some((c) => c < 0)) throw valueError('repeats may not contain negative values.');
  const total = counts.reduce((a, b) => a + b, 0);
  site.rt.guard.checkTensorElements(
    x.shape.map((d, i) => (i === axis ? total : d)),
    opName,
  );
  const indices: number[] = [];
  counts.forEach((c, i) => {
    for (let k = 0; k < c; k++) indices.push(i);
  });
  return site.rt.apply(site, opName, [x], ([t]) => gatherAlong(t, indices, axis), {
    kind: { category: 'replicate', method: 'repeat' },
    dtype: x.dtype,
  });
}

/**
 * Cumulative sum along `axis`. TF.js's Cumsum gradient is wrong for any axis but the last (it
 * returns the transposed shape), so the axis is moved last and back.
 */
export function cumsumValue(
  site: CallSite,
  x: TensorValue,
  axis: number,
  dtype: LogicalDtype,
  opName = 'cumsum',
): TensorValue {
  const input = x.dtype === dtype ? x : castTensor(site, x, dtype);
  const last = x.rank - 1;
  return site.rt.apply(
    site,
    opName,
    [input],
    ([t]) => {
      if (axis === last) return tf.cumsum(t, axis);
      const perm = t.shape.map((_, i) => i);
      [perm[axis], perm[last]] = [perm[last], perm[axis]];
      return tf.transpose(tf.cumsum(tf.transpose(t, perm), last), perm);
    },
    { kind: { category: 'scan', fn: 'cumsum', axis }, dtype },
  );
}

/**
 * One entry of every row along `axis`: `choose(order, row)` picks it from the row's ascending order
 * (its original positions). Returns the entries (the gradient goes to them) and their int64 positions.
 */
export function pickFromSortedRows(
  site: CallSite,
  x: TensorValue,
  axis: number,
  keepdims: boolean,
  choose: (order: Int32Array, rowValues: number[]) => number,
  opName: string,
): [TensorValue, TensorValue] {
  const { perm, indices } = argsortIndices(x, axis);
  const n = x.shape[axis];
  const data = tf.tidy(() => tf.transpose(x.tensor, perm).dataSync());
  const rows = n === 0 ? 0 : indices.length / n;
  const picked = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const order = indices.subarray(r * n, (r + 1) * n);
    picked[r] = choose(
      order,
      Array.from(order, (i) => Number(data[r * n + i])),
    );
  }
  const flat = Int32Array.from(picked, (p, r) => r * n + p);
  const shape = keepdims ? x.shape.map((d, i) => (i === axis ? 1 : d)) : x.shape.filter((_, i) => i !== axis);
  const kind = { category: 'sort', output: 'values', axis } as const;
  const values = site.rt.apply(
    site,
    opName,
    [x],
    ([t]) => tf.reshape(gatherAlong(tf.reshape(tf.transpose(t, perm), [-1]), flat, 0), shape),
    { kind, dtype: x.dtype },
  );
  const positions = site.rt.apply(site, `${opName}_indices`, [x], () => tf.tensor(picked, shape, 'int32'), {
    kind: { category: 'sort', output: 'indices', axis },
    dtype: 'int64',
    gradient: 'cut',
  });
  return [values, positions];
}
