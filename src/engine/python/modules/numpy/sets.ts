// Sorting, sets and counting: sort/argsort (ndarray.sort sorts in place), unique (with index,
// inverse and counts) and bincount.
import * as tf from '@tensorflow/tfjs';
import { tensorMethod } from '../../attributes';
import { typeError, unsupported, valueError } from '../../errors';
import { argsortValue, sortValue } from '../../ops/arraylib';
import { bincount } from '../../ops/bincount';
import { castTensor } from '../../ops/coercion';
import { truthy } from '../../protocols';
import { bindArgs } from '../../signature';
import { isIntDtype, storageDtype } from '../../tensor';
import { PyTuple, type PyValue } from '../../values';
import { boolArg, intArg } from '../common';
import { N, axisOutOfBounds, npAxis, npReshape } from './arguments';
import { arrayMethods, both, fn } from './tables';

both('sort', ['axis=-1', 'kind=None', 'order=None'], (x, a, site) => {
  if (a.axis === null) return sortValue(site, npReshape(site, x, [-1], 'ravel'), 0);
  if (x.rank === 0) throw axisOutOfBounds(intArg(a.axis), 0);
  return sortValue(site, x, npAxis(a.axis, x.rank));
});
// ndarray.sort sorts in place and returns None
arrayMethods.sort = tensorMethod((x, args, site) => {
  const a = bindArgs('sort', args, ['axis=-1', 'kind=None', 'order=None']);
  x.assignFrom(sortValue(site, x, npAxis(a.axis, x.rank)));
  return null;
});
both('argsort', ['axis=-1', 'kind=None', 'order=None'], (x, a, site) => {
  if (a.axis === null) return argsortValue(site, npReshape(site, x, [-1], 'ravel'), 0, 'int64');
  return argsortValue(site, x, npAxis(a.axis, x.rank), 'int64');
});

fn(
  'unique',
  ['ar', 'return_index=False', 'return_inverse=False', 'return_counts=False', 'axis=None', '*', 'equal_nan=True'],
  (a, site) => {
    if (a.axis !== null) throw unsupported('numpy.unique(axis=...)');
    const x = N(site, a.ar);
    const data = Array.from(x.tensor.dataSync() as ArrayLike<number>, Number);
    const values: number[] = [];
    const firstIndex: number[] = [];
    const counts: number[] = [];
    const order = data
      .map((_, i) => i)
      .sort((i, j) => {
        const p = data[i];
        const q = data[j];
        if (Number.isNaN(p)) return Number.isNaN(q) ? i - j : 1;
        if (Number.isNaN(q)) return -1;
        return p < q ? -1 : p > q ? 1 : i - j;
      });
    const inverse = new Array<number>(data.length);
    for (const i of order) {
      const v = data[i];
      const last = values.length - 1;
      if (
        last >= 0 &&
        (values[last] === v || (Number.isNaN(v) && Number.isNaN(values[last]) && boolArg(a.equal_nan)))
      ) {
        counts[last]++;
      } else {
        values.push(v);
        firstIndex.push(i);
        counts.push(1);
      }
      inverse[i] = values.length - 1;
    }
    const out = site.rt.apply(site, 'unique', [x], () => tf.tensor(values, [values.length], storageDtype(x.dtype)), {
      kind: { category: 'unique', output: 'values' },
      dtype: x.dtype,
      gradient: 'cut',
    });
    const extras: PyValue[] = [];
    const ints = (output: 'index' | 'inverse' | 'counts', list: number[]) =>
      site.rt.apply(site, `unique_${output}`, [x], () => tf.tensor(Int32Array.from(list), [list.length], 'int32'), {
        kind: { category: 'unique', output },
        dtype: 'int64',
        gradient: 'cut',
      });
    if (truthy(a.return_index)) extras.push(ints('index', firstIndex));
    if (truthy(a.return_inverse)) extras.push(ints('inverse', inverse));
    if (truthy(a.return_counts)) extras.push(ints('counts', counts));
    return extras.length ? new PyTuple([out, ...extras]) : out;
  },
);

fn('bincount', ['x', 'weights=None', 'minlength=0'], (a, site) => {
  const x = N(site, a.x);
  if (x.rank !== 1) throw valueError('object too deep for desired array');
  if (!isIntDtype(x.dtype) && x.dtype !== 'bool')
    throw typeError(`Cannot cast array data from dtype('${x.dtype}') to dtype('int64') according to the rule 'safe'`);
  const data = Array.from(x.tensor.dataSync() as ArrayLike<number>, Number);
  if (data.some((v) => v < 0)) throw valueError("'list' argument must have no negative elements");
  const minlength = intArg(a.minlength, 'minlength');
  if (minlength < 0) throw valueError("'minlength' must not be negative");
  let w = a.weights === null ? null : N(site, a.weights);
  if (w && w.shape.join(',') !== x.shape.join(','))
    throw valueError("The weights and list don't have the same length.");
  if (w && w.dtype !== 'float64') w = castTensor(site, w, 'float64');
  return bincount(site, x, data, minlength, w, 'float64');
});
