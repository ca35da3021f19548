// Ordering and index extraction: sort/argsort, topk and median (values keep their gradient, indices
// are int64 without one), unique, and nonzero / torch.where(condition) (the coordinates of non-zero
// entries).
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { indexError, runtimeError, unsupported } from '../../errors';
import { type SortOrder, argsortValue, pickFromSortedRows, sortValue } from '../../ops/arraylib';
import { nonzeroCoordinates } from '../../ops/indexing';
import { normaliseAxis } from '../../ops/reduce';
import { reshape } from '../../ops/shape';
import { truthy } from '../../protocols';
import type { TensorValue } from '../../tensor';
import { PyTuple, type PyValue } from '../../values';
import { boolArg, intArg } from '../common';
import { T } from './arguments';
import { both } from './tables';

/** torch sorts a 0-d tensor as a one-element row: the same value, index 0. */
function sortedPair(site: CallSite, x: TensorValue, dim: number, order: SortOrder, name: string): PyTuple {
  const row = x.rank === 0 ? reshape(site, x, [1], name) : x;
  const axis = normaliseAxis(dim, row.rank);
  const k = order.k ?? row.shape[axis];
  let values = sortValue(site, row, axis, name, { ...order, k });
  let indices = argsortValue(site, row, axis, 'int64', `${name}_indices`, { ...order, k });
  if (x.rank === 0) [values, indices] = [reshape(site, values, [], name), reshape(site, indices, [], name)];
  return new PyTuple([values, indices], `torch.return_types.${name}`, ['values', 'indices']);
}

both(
  'sort',
  ['dim=-1', 'descending=False', '*', 'stable=False'],
  (x, a, site) => sortedPair(site, x, intArg(a.dim, 'dim'), { descending: boolArg(a.descending) }, 'sort'),
  { axis: 'dim' },
);
both(
  'argsort',
  ['dim=-1', 'descending=False', '*', 'stable=False'],
  (x, a, site) => sortedPair(site, x, intArg(a.dim, 'dim'), { descending: boolArg(a.descending) }, 'argsort').items[1],
  { axis: 'dim' },
);
both('msort', [], (x, _a, site) => sortedPair(site, x, 0, {}, 'msort').items[0]);
both(
  'topk',
  ['k', 'dim=-1', 'largest=True', 'sorted=True'],
  (x, a, site) => {
    const dim = intArg(a.dim, 'dim');
    const size = x.rank === 0 ? 1 : x.shape[normaliseAxis(dim, x.rank)];
    const k = intArg(a.k, 'k');
    if (k < 0 || k > size) throw runtimeError('selected index k out of range');
    // sorted=False leaves the order unspecified: the sorted order is one such order.
    return sortedPair(site, x, dim, { descending: truthy(a.largest), k }, 'topk');
  },
  { axis: 'dim' },
);

/** torch.nonzero: an [n, rank] int64 tensor, or with as_tuple=True a tuple of one 1-D tensor per dimension. */
function nonzero(site: CallSite, x: TensorValue, asTuple: boolean): PyValue {
  const found = nonzeroCoordinates(site, x, asTuple);
  return Array.isArray(found) ? new PyTuple(found) : found;
}

both('nonzero', ['*', 'as_tuple=False'], (x, a, site) => nonzero(site, x, boolArg(a.as_tuple)));
both('argwhere', [], (x, _a, site) => nonzero(site, x, false));
export const nonzeroTuple = (site: CallSite, condition: PyValue): PyValue => nonzero(site, T(site, condition), true);

/** torch's median: the lower of the two middle values (NaN when the row has one), with its index. */
function median(site: CallSite, x: TensorValue, dim: number | undefined, keepdim: boolean): TensorValue | PyTuple {
  const row = dim === undefined ? reshape(site, x, [-1], 'median') : x;
  const axis = dim === undefined ? 0 : normaliseAxis(dim, Math.max(x.rank, 1));
  if (row.rank === 0) return dim === undefined ? x : new PyTuple([x, site.rt.constant([0], [], 'int64', x.flavour)]);
  if (row.shape[axis] === 0) throw indexError('median(): Expected reduction dim to have non-zero size.');
  const choose = (order: Int32Array, values: number[]) => {
    const firstNan = values.findIndex((v) => Number.isNaN(v));
    return order[firstNan >= 0 ? firstNan : Math.floor((order.length - 1) / 2)];
  };
  const [values, indices] = pickFromSortedRows(site, row, axis, dim === undefined ? false : keepdim, choose, 'median');
  if (dim === undefined) return values;
  return new PyTuple([values, indices], 'torch.return_types.median', ['values', 'indices']);
}
both(
  'median',
  ['dim=None', 'keepdim=False'],
  (x, a, site) => median(site, x, a.dim === null ? undefined : intArg(a.dim, 'dim'), boolArg(a.keepdim)),
  { axis: 'dim', keepdims: 'keepdim' },
);

/**
 * torch.unique: the sorted distinct values (also for sorted=False, whose order torch leaves open),
 * with the inverse indices and counts. torch has no derivative for it: a gradient reaching the
 * values is the RuntimeError torch raises in backward.
 */
both('unique', ['sorted=True', 'return_inverse=False', 'return_counts=False', 'dim=None'], (x, a, site) => {
  if (a.dim !== null) throw unsupported('torch.unique(dim=...)');
  const data = Array.from(x.tensor.dataSync() as ArrayLike<number>, Number);
  const distinct = [...new Set(data)].sort((p, q) => (Number.isNaN(p) ? 1 : Number.isNaN(q) ? -1 : p - q));
  const position = new Map(distinct.map((v, i) => [v, i]));
  const kind = { category: 'unique', output: 'values' } as const;
  const noDerivative = tf.customGrad(((t: tf.Tensor) => ({
    value: tf.tensor(distinct, [distinct.length], t.dtype),
    gradFunc: () => {
      throw runtimeError("the derivative for '_unique2' is not implemented.");
    },
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  const values = site.rt.apply(site, 'unique', [x], ([t]) => noDerivative(tf.reshape(t, [-1])) as tf.Tensor, {
    kind,
    dtype: x.dtype,
  });
  const extras: TensorValue[] = [];
  if (truthy(a.return_inverse)) {
    const inverse = data.map((v) => position.get(v)!);
    extras.push(
      site.rt.apply(site, 'unique_inverse', [x], () => tf.tensor(inverse, x.shape, 'int32'), {
        kind: { category: 'unique', output: 'inverse' },
        dtype: 'int64',
        gradient: 'cut',
      }),
    );
  }
  if (truthy(a.return_counts)) {
    const counts = distinct.map(() => 0);
    for (const v of data) counts[position.get(v)!]++;
    extras.push(
      site.rt.apply(site, 'unique_counts', [x], () => tf.tensor(counts, [counts.length], 'int32'), {
        kind: { category: 'unique', output: 'counts' },
        dtype: 'int64',
        gradient: 'cut',
      }),
    );
  }
  return extras.length ? new PyTuple([values, ...extras]) : values;
});
