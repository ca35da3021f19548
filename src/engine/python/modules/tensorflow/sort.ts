// Ordering: tf.sort, tf.argsort and tf.math.top_k / tf.nn.top_k (along the last axis; the values keep
// their gradient, the int32 indices have none).
import { invalidArgumentError } from '../../errors';
import { argsortValue, sortValue } from '../../ops/arraylib';
import { toInt } from '../../protocols';
import { PyTuple } from '../../values';
import { T, tfAxis } from './arguments';
import { fn, math, nn, top } from './tables';

function descendingOf(direction: unknown): boolean {
  if (direction !== 'ASCENDING' && direction !== 'DESCENDING')
    throw invalidArgumentError(`${String(direction)} should be one of ASCENDING, DESCENDING`);
  return direction === 'DESCENDING';
}

fn([top], 'sort', ['values', 'axis=-1', "direction='ASCENDING'", 'name=None'], (a, site) => {
  const x = T(site, a.values);
  return sortValue(site, x, tfAxis(a.axis, x.rank, 'Sort'), 'sort', { descending: descendingOf(a.direction) });
});
fn([top], 'argsort', ['values', 'axis=-1', "direction='ASCENDING'", 'stable=False', 'name=None'], (a, site) => {
  const x = T(site, a.values);
  const axis = tfAxis(a.axis, x.rank, 'ArgSort');
  return argsortValue(site, x, axis, 'int32', 'argsort', { descending: descendingOf(a.direction) });
});

const topK = fn(
  [math],
  'top_k',
  ['input', 'k=1', 'sorted=True', 'name=None'],
  (a, site) => {
    const x = T(site, a.input);
    const k = toInt(a.k, 'k');
    if (x.rank < 1) throw invalidArgumentError('input must be at least 1-D [Op:TopKV2]');
    const axis = x.rank - 1;
    if (k < 0 || k > x.shape[axis])
      throw invalidArgumentError(`input must have at least k=${k} columns, had ${x.shape[axis]} [Op:TopKV2]`);
    // sorted=False leaves the order unspecified: the sorted order is one such order
    const order = { descending: true, k };
    const values = sortValue(site, x, axis, 'top_k', order);
    const indices = argsortValue(site, x, axis, 'int32', 'top_k_indices', order);
    return new PyTuple([values, indices], 'TopKV2', ['values', 'indices']);
  },
  'tf.math.top_k',
);
nn.set('top_k', topK);
