// Shapes: reshape, flatten(x, ndim), dimshuffle, transpose/swapaxes, squeeze, the shape_pad*
// helpers, addbroadcast/unbroadcast, concatenate/join/stack and repeat.
import * as tf from '@tensorflow/tfjs';
import { tensorMethod } from '../../attributes';
import type { CallSite } from '../../callsite';
import { indexError, typeError, valueError } from '../../errors';
import type { OpKind } from '../../opKinds';
import { repeatValue } from '../../ops/arraylib';
import { castTensor, promoteTypes } from '../../ops/coercion';
import { normaliseAxis } from '../../ops/reduce';
import { concat, permute, reshape, squeeze, stack, swapAxes } from '../../ops/shape';
import { isTensor, toAxes, toShape } from '../../protocols';
import { TensorValue } from '../../tensor';
import { PyList, PyTuple, type PyValue, typeName } from '../../values';
import { intArg } from '../common';
import { FLAVOUR, MAX_DIMS, TT } from './arguments';
import { extraOps, fn, method, tensorFunctions, variableMethods } from './tables';

function theanoReshape(site: CallSite, x: TensorValue, shape: number[]): TensorValue {
  const unknown = shape.filter((d) => d === -1).length;
  const known = shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const fits = unknown === 1 ? (known === 0 ? x.size === 0 : x.size % known === 0) : unknown === 0 && known === x.size;
  if (!fits || shape.some((d) => d < -1))
    throw valueError(
      `cannot reshape array of size ${x.size} into shape (${shape.join(', ')}${shape.length === 1 ? ',' : ''})`,
    );
  return reshape(site, x, shape);
}

function shapeValue(value: PyValue): number[] {
  return toShape(value);
}

fn('reshape', ['x', 'newshape', 'ndim=None'], (a, site) => theanoReshape(site, TT(site, a.x), shapeValue(a.newshape)));
method('reshape', ['shape', '*more', 'ndim=None'], (x, a, site) => {
  const more = (a.more as PyTuple).items;
  return theanoReshape(site, x, more.length ? toShape(new PyTuple([a.shape, ...more])) : shapeValue(a.shape));
});

/** T.flatten(x, ndim=1): keeps the first ndim-1 axes and merges the rest. */
function theanoFlatten(site: CallSite, x: TensorValue, ndimValue: PyValue, outdim: PyValue = null): TensorValue {
  const ndim =
    outdim !== null && outdim !== undefined
      ? intArg(outdim, 'outdim')
      : ndimValue === null
        ? 1
        : intArg(ndimValue, 'ndim');
  if (ndim < 1 || (ndim > x.rank && x.rank > 0)) throw valueError(`ndim ${ndim} out of bound [1, ${x.rank + 1})`);
  return reshape(site, x, x.rank === 0 ? [1] : [...x.shape.slice(0, ndim - 1), -1], 'flatten');
}
fn('flatten', ['x', 'ndim=None', 'outdim=None'], (a, site) => theanoFlatten(site, TT(site, a.x), a.ndim, a.outdim));
method('flatten', ['ndim=1', 'outdim=None'], (x, a, site) => theanoFlatten(site, x, a.ndim, a.outdim));
method('ravel', [], (x, _a, site) => theanoFlatten(site, x, 1n));

/** x.dimshuffle(0, 'x', 1): a permutation of the axes with 'x' inserting broadcastable ones. */
function dimshuffle(site: CallSite, x: TensorValue, pattern: PyValue[]): TensorValue {
  const items =
    pattern.length === 1 && (pattern[0] instanceof PyList || pattern[0] instanceof PyTuple)
      ? (pattern[0] as PyList).items
      : pattern;
  const dims: number[] = [];
  for (const p of items) {
    if (p === 'x') continue;
    const d = intArg(p, 'dimshuffle pattern');
    if (d < 0 || d >= x.rank)
      throw valueError(`new_order[${dims.length}] is ${d}, but the input only has ${x.rank} axes.`);
    if (dims.includes(d))
      throw valueError(
        'The same input dimension may not appear twice in the list of output dimensions ' +
          `(${items.map(String).join(', ')})`,
      );
    dims.push(d);
  }
  const dropped = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  for (const d of dropped) {
    if (x.shape[d] !== 1)
      throw valueError(`You cannot drop a non-broadcastable dimension: axis ${d} has length ${x.shape[d]}.`);
  }
  const outShape = items.map((p) => (p === 'x' ? 1 : x.shape[intArg(p)]));
  const newAxes = items.flatMap((p, i) => (p === 'x' ? [i] : []));
  const kind: OpKind = { category: 'transpose', permutation: dims, ...(newAxes.length ? { newAxes } : {}) };
  return site.rt.apply(site, 'dimshuffle', [x], ([t]) => tf.reshape(tf.transpose(t, [...dims, ...dropped]), outShape), {
    kind,
    dtype: x.dtype,
  });
}
variableMethods.dimshuffle = tensorMethod((x, args, site) => {
  if (args.keywords.size) throw typeError('dimshuffle() takes no keyword arguments');
  return dimshuffle(site, x, args.positional);
});

function transposeValue(site: CallSite, x: TensorValue, axes: number[] | undefined): TensorValue {
  if (axes !== undefined && axes.length !== x.rank)
    throw valueError(`transpose: axes don't match the input's ${x.rank} dimensions`);
  return permute(site, x, axes, 'transpose');
}
fn('transpose', ['x', 'axes=None'], (a, site) =>
  transposeValue(site, TT(site, a.x), a.axes === null ? undefined : toShape(a.axes)),
);
method('transpose', ['*axes'], (x, a, site) => {
  const items = (a.axes as PyTuple).items;
  if (!items.length || (items.length === 1 && items[0] === null)) return transposeValue(site, x, undefined);
  return transposeValue(
    site,
    x,
    items.length === 1 && (items[0] instanceof PyList || items[0] instanceof PyTuple)
      ? toShape(items[0])
      : items.map((v) => intArg(v, 'axes')),
  );
});
method('swapaxes', ['axis1', 'axis2'], (x, a, site) => swapAxes(site, x, intArg(a.axis1), intArg(a.axis2), 'swapaxes'));

function squeezeValue(site: CallSite, x: TensorValue, axis: PyValue): TensorValue {
  return squeeze(site, x, toAxes(axis), true);
}
fn('squeeze', ['x', 'axis=None'], (a, site) => squeezeValue(site, TT(site, a.x), a.axis));
extraOps.set('squeeze', tensorFunctions.get('squeeze')!);
method('squeeze', ['axis=None'], (x, a, site) => squeezeValue(site, x, a.axis));

/** Padding shapes with broadcastable axes (shape_padleft, shape_padright, shape_padaxis). */
function padCount(x: TensorValue, value: PyValue): number {
  const n = intArg(value, 'n_ones');
  if (n < 0 || x.rank + n > MAX_DIMS)
    throw valueError(`shape padding to ${x.rank + n} dimensions is not supported (at most ${MAX_DIMS})`);
  return n;
}
fn('shape_padleft', ['t', 'n_ones=1'], (a, site) => {
  const x = TT(site, a.t);
  return reshape(site, x, [...Array(padCount(x, a.n_ones)).fill(1), ...x.shape], 'shape_padleft');
});
fn('shape_padright', ['t', 'n_ones=1'], (a, site) => {
  const x = TT(site, a.t);
  return reshape(site, x, [...x.shape, ...Array(padCount(x, a.n_ones)).fill(1)], 'shape_padright');
});
fn('shape_padaxis', ['t', 'axis'], (a, site) => {
  const x = TT(site, a.t);
  let axis = intArg(a.axis, 'axis');
  if (axis < -(x.rank + 1) || axis > x.rank) {
    throw indexError(`axis ${axis} is out of bounds [-${x.rank + 1}, ${x.rank + 1})`);
  }
  if (axis < 0) axis += x.rank + 1;
  const shape = [...x.shape];
  shape.splice(axis, 0, 1);
  return reshape(site, x, shape, 'shape_padaxis');
});
for (const name of ['addbroadcast', 'unbroadcast']) {
  fn(name, ['x', '*axes'], (a, site) => {
    const x = TT(site, a.x);
    if (name === 'addbroadcast') {
      for (const ax of (a.axes as PyTuple).items) {
        const d = normaliseAxis(intArg(ax, 'axis'), x.rank);
        if (x.shape[d] !== 1) throw valueError(`addbroadcast: axis ${d} has length ${x.shape[d]}, not 1`);
      }
    }
    return x;
  });
}
fn('patternbroadcast', ['x', 'broadcastable'], (a, site) => TT(site, a.x));

function concatValue(site: CallSite, items: TensorValue[], axisValue: PyValue, opName: string): TensorValue {
  if (!items.length) throw valueError('Cannot concatenate an empty list of tensors');
  const rank = items[0].rank;
  if (rank === 0) throw valueError('zero-dimensional arrays cannot be concatenated');
  const axis = normaliseAxis(intArg(axisValue, 'axis'), rank);
  items.forEach((t, i) => {
    if (t.rank !== rank)
      throw typeError(
        `Join: all tensors must have the same number of dimensions (input ${i} has ${t.rank}, input 0 has ${rank})`,
      );
    t.shape.forEach((d, k) => {
      if (k !== axis && d !== items[0].shape[k]) {
        throw valueError(
          'all the input array dimensions except for the concatenation axis must match exactly, ' +
            `but along dimension ${k}, the array at index 0 has size ${items[0].shape[k]} ` +
            `and the array at index ${i} has size ${d}`,
        );
      }
    });
  });
  return concat(site, items, axis, opName);
}

function tensorItems(site: CallSite, value: PyValue): TensorValue[] {
  if (!(value instanceof PyList || value instanceof PyTuple))
    throw typeError(`expected a list of tensors, got ${typeName(value)}`);
  return value.items.map((v) => TT(site, v));
}

fn('concatenate', ['tensor_list', 'axis=0'], (a, site) =>
  concatValue(site, tensorItems(site, a.tensor_list), a.axis, 'concatenate'),
);
fn('join', ['axis', '*tensors_list'], (a, site) =>
  concatValue(
    site,
    (a.tensors_list as PyTuple).items.map((v) => TT(site, v)),
    a.axis,
    'join',
  ),
);
fn('stack', ['*tensors', 'axis=0'], (a, site) => {
  const raw = (a.tensors as PyTuple).items;
  const items =
    raw.length === 1 && (raw[0] instanceof PyList || raw[0] instanceof PyTuple)
      ? tensorItems(site, raw[0])
      : raw.map((v) => TT(site, v));
  if (!items.length) throw valueError('theano.tensor.stack: at least one tensor is needed');
  if (items.some((t) => t.shape.join(',') !== items[0].shape.join(',')))
    throw valueError('all input arrays must have the same shape');
  const dtype = items.map((t) => t.dtype).reduce((p, q) => promoteTypes(p, q, FLAVOUR));
  const rank = items[0].rank + 1;
  let axis = intArg(a.axis, 'axis');
  if (axis < -rank || axis >= rank) throw indexError(`axis ${axis} is out of bounds for the stacked rank ${rank}`);
  if (axis < 0) axis += rank;
  return stack(
    site,
    items.map((t) => (t.dtype === dtype ? t : castTensor(site, t, dtype))),
    axis,
  );
});

fn('repeat', ['x', 'repeats', 'axis=None'], (a, site) => repeatArgs(site, TT(site, a.x), a.repeats, a.axis));
extraOps.set('repeat', tensorFunctions.get('repeat')!);
method('repeat', ['repeats', 'axis=None'], (x, a, site) => repeatArgs(site, x, a.repeats, a.axis));
function repeatArgs(site: CallSite, x: TensorValue, repeats: PyValue, axisValue: PyValue): TensorValue {
  const source = axisValue === null ? reshape(site, x, [-1], 'flatten') : x;
  const axis = axisValue === null ? 0 : normaliseAxis(intArg(axisValue), x.rank);
  return repeatValue(
    site,
    source,
    isTensor(repeats) ? Array.from(repeats.tensor.dataSync(), Number) : toShape(repeats),
    axis,
  );
}
