// Shapes: reshape/ravel/flatten, transpose, moveaxis, swapaxes, expand_dims, squeeze,
// atleast_*d, concatenate/stack and their variants, tile, repeat and broadcast_to, with numpy's errors.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { axisError, typeError, unsupported, valueError } from '../../errors';
import { repeatValue } from '../../ops/arraylib';
import { castTensor, promoteTypes } from '../../ops/coercion';
import { broadcastTo, concat, permute, reshape, squeeze, stack, swapAxes, tile } from '../../ops/shape';
import { isTensor, toAxes, toShape } from '../../protocols';
import type { LogicalDtype, TensorValue } from '../../tensor';
import { PyList, PyTuple, type PyValue, typeName } from '../../values';
import { intArg } from '../common';
import {
  FLAVOUR,
  MAX_DIMS,
  N,
  axisOutOfBounds,
  dtypeArg,
  noOut,
  npAxes,
  npAxis,
  npReshape,
  shapeArg,
  shapeText,
  varShape,
} from './arguments';
import { both, fn, method, npFunctions } from './tables';

fn('reshape', ['a', 'newshape=None', "order='C'", '*', 'shape=None', 'copy=None'], (a, site) => {
  if (a.order !== 'C' && a.order !== 'A') throw unsupported(`numpy.reshape(order=${String(a.order)})`);
  const target = a.newshape ?? a.shape;
  if (target === null) throw typeError("reshape() missing required argument: 'shape'");
  return npReshape(site, N(site, a.a), toShape(target));
});
method('reshape', ['*shape', "order='C'", 'copy=None'], (x, a, site) => {
  if (a.order !== 'C' && a.order !== 'A') throw unsupported(`ndarray.reshape(order=${String(a.order)})`);
  return npReshape(site, x, varShape(a.shape));
});
/**
 * ravel/flatten in `order`: 'C' row by row; 'F' column by column (the transpose's rows); 'A' and 'K'
 * follow the memory layout, always C here. flatten copies even a 1-D array.
 */
function npFlatten(site: CallSite, x: TensorValue, order: PyValue, opName: 'ravel' | 'flatten'): TensorValue {
  const layout = order === null ? 'C' : String(order).toUpperCase();
  if (!['C', 'F', 'A', 'K'].includes(layout))
    throw valueError(`order must be one of 'C', 'F', 'A', or 'K' (got '${String(order)}')`);
  if (layout === 'F' && x.rank > 1) return npReshape(site, permute(site, x, undefined, opName), [-1], opName);
  if (x.rank === 1 && opName === 'flatten')
    return site.rt.apply(site, opName, [x], ([t]) => tf.clone(t), { kind: { category: 'reshape' }, dtype: x.dtype });
  return npReshape(site, x, [-1], opName);
}
fn('ravel', ['a', "order='C'"], (a, site) => npFlatten(site, N(site, a.a), a.order, 'ravel'));
method('ravel', ["order='C'"], (x, a, site) => npFlatten(site, x, a.order, 'ravel'));
method('flatten', ["order='C'"], (x, a, site) => npFlatten(site, x, a.order, 'flatten'));

function npPermute(site: CallSite, x: TensorValue, axes: number[] | undefined): TensorValue {
  if (axes === undefined) return permute(site, x, undefined, 'transpose');
  if (axes.length !== x.rank) throw valueError("axes don't match array");
  const order = axes.map((ax) => {
    if (ax < -x.rank || ax >= x.rank) throw axisOutOfBounds(ax, x.rank);
    return ax < 0 ? ax + x.rank : ax;
  });
  if (new Set(order).size !== order.length) throw valueError('repeated axis in transpose');
  return permute(site, x, order, 'transpose');
}
fn('transpose', ['a', 'axes=None'], (a, site) =>
  npPermute(site, N(site, a.a), a.axes === null ? undefined : toShape(a.axes)),
);
method('transpose', ['*axes'], (x, a, site) => {
  const items = (a.axes as PyTuple).items;
  if (!items.length || (items.length === 1 && items[0] === null)) return npPermute(site, x, undefined);
  return npPermute(site, x, varShape(a.axes));
});

fn('moveaxis', ['a', 'source', 'destination'], (a, site) => {
  const x = N(site, a.a);
  const source = npAxes(a.source, x.rank) ?? [];
  const destination = npAxes(a.destination, x.rank) ?? [];
  if (source.length !== destination.length)
    throw valueError('`source` and `destination` arguments must have the same number of elements');
  const order = x.shape.map((_, i) => i).filter((i) => !source.includes(i));
  [...destination.map((d, i) => [d, source[i]] as const)]
    .sort((p, q) => p[0] - q[0])
    .forEach(([d, s]) => order.splice(d, 0, s));
  return permute(site, x, order, 'moveaxis');
});
/** numpy.rollaxis(a, axis, start=0): `axis` moves back until it lies before position `start`. */
fn('rollaxis', ['a', 'axis', 'start=0'], (a, site) => {
  const x = N(site, a.a);
  const n = x.rank;
  const axis = npAxis(a.axis, n);
  let start = intArg(a.start);
  if (start < 0) start += n;
  if (!(start >= 0 && start < n + 1))
    throw axisError(`'start' arg requires ${-n} <= start < ${n + 1}, but ${intArg(a.start)} was passed in`);
  if (axis < start) start -= 1;
  if (axis === start) return x;
  const order = x.shape.map((_, i) => i).filter((i) => i !== axis);
  order.splice(start, 0, axis);
  return permute(site, x, order, 'rollaxis');
});
fn('swapaxes', ['a', 'axis1', 'axis2'], (a, site) => {
  const x = N(site, a.a);
  return swapAxes(site, x, npAxis(a.axis1, x.rank), npAxis(a.axis2, x.rank), 'swapaxes');
});
method('swapaxes', ['axis1', 'axis2'], (x, a, site) =>
  swapAxes(site, x, npAxis(a.axis1, x.rank), npAxis(a.axis2, x.rank), 'swapaxes'),
);

fn('expand_dims', ['a', 'axis'], (a, site) => {
  const x = N(site, a.a);
  const requested = toAxes(a.axis) ?? [];
  const rank = x.rank + requested.length;
  if (rank > MAX_DIMS) throw valueError(`maximum supported dimension for an ndarray is ${MAX_DIMS}, found ${rank}`);
  const axes = requested.map((ax) => {
    if (ax < -rank || ax >= rank) throw axisOutOfBounds(ax, rank);
    return ax < 0 ? ax + rank : ax;
  });
  if (new Set(axes).size !== axes.length) throw valueError('repeated axis');
  const rest = [...x.shape];
  const shape = Array.from({ length: rank }, (_, i) => (axes.includes(i) ? 1 : rest.shift()!));
  return reshape(site, x, shape, 'expand_dims');
});

both('squeeze', ['axis=None'], (x, a, site) => squeeze(site, x, npAxes(a.axis, x.rank), true));

function atLeast(site: CallSite, x: TensorValue, rank: number): TensorValue {
  if (x.rank >= rank) return x;
  if (rank === 1) return npReshape(site, x, [1], 'atleast_1d');
  if (rank === 2) return npReshape(site, x, x.rank === 0 ? [1, 1] : [1, ...x.shape], 'atleast_2d');
  return npReshape(
    site,
    x,
    x.rank === 0 ? [1, 1, 1] : x.rank === 1 ? [1, x.shape[0], 1] : [...x.shape, 1],
    'atleast_3d',
  );
}
for (const [name, rank] of [
  ['atleast_1d', 1],
  ['atleast_2d', 2],
  ['atleast_3d', 3],
] as const) {
  fn(name, ['*arys'], (a, site) => {
    const items = (a.arys as PyTuple).items.map((v) => atLeast(site, N(site, v), rank));
    return items.length === 1 ? items[0] : new PyList(items);
  });
}

function arrayList(site: CallSite, value: PyValue, what: string): TensorValue[] {
  if (isTensor(value)) {
    // iterating an array yields its rows
    if (value.rank === 0) throw valueError(`zero-dimensional arrays cannot be ${what}`);
    return Array.from({ length: value.shape[0] }, (_, i) => {
      const [from, size] = [value.shape.map((_, k) => (k === 0 ? i : 0)), value.shape.map((d, k) => (k === 0 ? 1 : d))];
      return site.rt.apply(site, 'getitem', [value], ([t]) => tf.squeeze(tf.slice(t, from, size), [0]), {
        kind: { category: 'indexing', method: 'subscript' },
        dtype: value.dtype,
        flavour: FLAVOUR,
      });
    });
  }
  if (!(value instanceof PyList || value instanceof PyTuple))
    throw typeError(`expected a sequence of arrays, got ${typeName(value)}`);
  return value.items.map((v) => N(site, v));
}

function npConcat(
  site: CallSite,
  items: TensorValue[],
  axis: number | null,
  opName: string,
  dtype?: LogicalDtype,
): TensorValue {
  if (!items.length) throw valueError('need at least one array to concatenate');
  let arrays = items;
  if (axis === null) arrays = items.map((t) => npReshape(site, t, [-1], 'ravel'));
  const rank = arrays[0].rank;
  if (rank === 0) throw valueError('zero-dimensional arrays cannot be concatenated');
  const ax = axis === null ? 0 : axis;
  if (ax < -rank || ax >= rank) throw axisOutOfBounds(ax, rank);
  const a = ax < 0 ? ax + rank : ax;
  arrays.forEach((t, i) => {
    if (t.rank !== rank) {
      throw valueError(
        'all the input arrays must have same number of dimensions, ' +
          `but the array at index 0 has ${rank} dimension(s) and the array at index ${i} has ${t.rank} dimension(s)`,
      );
    }
    t.shape.forEach((d, k) => {
      if (k !== a && d !== arrays[0].shape[k]) {
        throw valueError(
          'all the input array dimensions except for the concatenation axis must match exactly, ' +
            `but along dimension ${k}, the array at index 0 has size ${arrays[0].shape[k]} ` +
            `and the array at index ${i} has size ${d}`,
        );
      }
    });
  });
  const common = dtype ?? arrays.map((t) => t.dtype).reduce((p, q) => promoteTypes(p, q, FLAVOUR));
  site.rt.guard.checkTensorElements(
    arrays[0].shape.map((d, k) => (k === a ? arrays.reduce((n, t) => n + t.shape[a], 0) : d)),
    opName,
  );
  return concat(
    site,
    arrays.map((t) => (t.dtype === common ? t : castTensor(site, t, common))),
    a,
    opName,
  );
}

fn('concatenate', ['arrays', 'axis=0', 'out=None', '*', 'dtype=None', "casting='same_kind'"], (a, site) => {
  noOut(a, 'concatenate');
  return npConcat(
    site,
    arrayList(site, a.arrays, 'concatenated'),
    a.axis === null ? null : intArg(a.axis, 'axis'),
    'concatenate',
    dtypeArg(a.dtype),
  );
});
npFunctions.set('concat', npFunctions.get('concatenate')!);

fn('stack', ['arrays', 'axis=0', 'out=None', '*', 'dtype=None', "casting='same_kind'"], (a, site) => {
  noOut(a, 'stack');
  const items = arrayList(site, a.arrays, 'stacked');
  if (!items.length) throw valueError('need at least one array to stack');
  if (items.some((t) => t.shape.join(',') !== items[0].shape.join(',')))
    throw valueError('all input arrays must have the same shape');
  const rank = items[0].rank + 1;
  const axis = intArg(a.axis, 'axis');
  if (axis < -rank || axis >= rank) throw axisOutOfBounds(axis, rank);
  const dtype = dtypeArg(a.dtype) ?? items.map((t) => t.dtype).reduce((p, q) => promoteTypes(p, q, FLAVOUR));
  site.rt.guard.checkTensorElements([items.length, ...items[0].shape], 'stack');
  return stack(
    site,
    items.map((t) => (t.dtype === dtype ? t : castTensor(site, t, dtype))),
    axis < 0 ? axis + rank : axis,
  );
});
fn('vstack', ['tup', '*', 'dtype=None', "casting='same_kind'"], (a, site) =>
  npConcat(
    site,
    arrayList(site, a.tup, 'stacked').map((t) => atLeast(site, t, 2)),
    0,
    'vstack',
    dtypeArg(a.dtype),
  ),
);
npFunctions.set('row_stack', npFunctions.get('vstack')!);
fn('hstack', ['tup', '*', 'dtype=None', "casting='same_kind'"], (a, site) => {
  const items = arrayList(site, a.tup, 'stacked').map((t) => atLeast(site, t, 1));
  return npConcat(site, items, items.length && items[0].rank === 1 ? 0 : 1, 'hstack', dtypeArg(a.dtype));
});
fn('dstack', ['tup'], (a, site) =>
  npConcat(
    site,
    arrayList(site, a.tup, 'stacked').map((t) => atLeast(site, t, 3)),
    2,
    'dstack',
  ),
);
fn('column_stack', ['tup'], (a, site) =>
  npConcat(
    site,
    arrayList(site, a.tup, 'stacked').map((t) => (t.rank < 2 ? npReshape(site, t, [-1, 1], 'column_stack') : t)),
    1,
    'column_stack',
  ),
);

fn('tile', ['A', 'reps'], (a, site) => {
  const reps = toShape(a.reps);
  if (reps.some((r) => r < 0)) throw valueError('negative dimensions are not allowed');
  return tile(site, N(site, a.A), reps);
});

function repeatArgs(site: CallSite, x: TensorValue, repeats: PyValue, axisValue: PyValue): TensorValue {
  const source = axisValue === null ? npReshape(site, x, [-1], 'ravel') : x;
  const axis = axisValue === null ? 0 : npAxis(axisValue, x.rank);
  const counts = isTensor(repeats) ? Array.from(repeats.tensor.dataSync(), Number) : toShape(repeats);
  return repeatValue(site, source, counts, axis);
}
both('repeat', ['repeats', 'axis=None'], (x, a, site) => repeatArgs(site, x, a.repeats, a.axis));

fn('broadcast_to', ['array', 'shape', 'subok=False'], (a, site) => {
  const x = N(site, a.array);
  const shape = shapeArg(a.shape);
  const ok = x.rank <= shape.length && x.shape.every((d, i) => d === 1 || d === shape[shape.length - x.rank + i]);
  if (!ok)
    throw valueError(
      'operands could not be broadcast together with remapped shapes [original->remapped]: ' +
        `${shapeText(x.shape)} and requested shape ${shapeText(shape)}`,
    );
  return broadcastTo(site, x, shape);
});
