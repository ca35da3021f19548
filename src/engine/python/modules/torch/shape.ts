// Shapes: view/reshape, flatten, squeeze/unsqueeze, permute/transpose, expand/broadcast_to,
// repeat/tile, cat/stack, split and unbind.
import * as tf from '@tensorflow/tfjs';
import { normaliseAxis } from '../../ops/reduce';
import {
  broadcastTo,
  concat,
  expandDims,
  flatten,
  permute,
  reshape,
  squeeze,
  stack,
  swapAxes,
  tile,
} from '../../ops/shape';
import type { CallSite } from '../../callsite';
import { runtimeError } from '../../errors';
import { repr, toAxes, toShape } from '../../protocols';
import type { TensorValue } from '../../tensor';
import { PyList, PyTuple, type PyValue } from '../../values';
import { intArg, optionalAxes, tensorList } from '../common';
import { FLAVOUR, T, shapeArgs } from './arguments';
import { tensorMethod } from '../../attributes';
import { both, fn, method, tensorMethods } from './tables';

method('view', ['*shape'], (x, a, site) => reshape(site, x, shapeArgs(a), 'view'));
method('reshape', ['*shape'], (x, a, site) => reshape(site, x, shapeArgs(a)));
fn('reshape', ['input', 'shape'], (a, site) => reshape(site, T(site, a.input), toShape(a.shape)));
method('view_as', ['other'], (x, a, site) => reshape(site, x, T(site, a.other).shape, 'view_as'));
method('reshape_as', ['other'], (x, a, site) => reshape(site, x, T(site, a.other).shape, 'reshape_as'));
both('flatten', ['start_dim=0', 'end_dim=-1'], (x, a, site) =>
  flatten(site, x, intArg(a.start_dim), intArg(a.end_dim)),
);
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
  fn(
    name,
    ['tensors', 'dim=0'],
    (a, site) => concat(site, tensorList(site, a.tensors, FLAVOUR), intArg(a.dim, 'dim'), name),
    { axis: 'dim' },
  );
}
fn(
  'stack',
  ['tensors', 'dim=0'],
  (a, site) => stack(site, tensorList(site, a.tensors, FLAVOUR), intArg(a.dim, 'dim')),
  { axis: 'dim' },
);
both(
  'split',
  ['split_size_or_sections', 'dim=0'],
  (x, a, site) => {
    const dim = normaliseAxis(intArg(a.dim), x.rank);
    const size = x.shape[dim];
    const sizes =
      a.split_size_or_sections instanceof PyList || a.split_size_or_sections instanceof PyTuple
        ? toShape(a.split_size_or_sections)
        : Array.from({ length: Math.ceil(size / intArg(a.split_size_or_sections)) }, (_, i) =>
            Math.min(intArg(a.split_size_or_sections), size - i * intArg(a.split_size_or_sections)),
          );
    let start = 0;
    return new PyTuple(
      sizes.map((s) => {
        const begin = start;
        start += s;
        const [from, size] = [
          x.shape.map((_, i) => (i === dim ? begin : 0)),
          x.shape.map((d, i) => (i === dim ? s : d)),
        ];
        return site.rt.apply(site, 'split', [x], ([t]) => tf.slice(t, from, size), {
          kind: { category: 'split', method: 'split', axis: dim },
          dtype: x.dtype,
        });
      }),
    );
  },
  { split_size: 'split_size_or_sections' },
);
both('unbind', ['dim=0'], (x, a, site) => {
  const dim = normaliseAxis(intArg(a.dim), x.rank);
  return new PyTuple(
    Array.from({ length: x.shape[dim] }, (_, i) => {
      const [from, size] = [x.shape.map((_, k) => (k === dim ? i : 0)), x.shape.map((d, k) => (k === dim ? 1 : d))];
      return site.rt.apply(site, 'unbind', [x], ([t]) => tf.squeeze(tf.slice(t, from, size), [dim]), {
        kind: { category: 'split', method: 'unstack', axis: dim },
        dtype: x.dtype,
      });
    }),
  );
});

/** movedim(source, destination): the named axes move to their new places, the others keep their order. */
function movedim(site: CallSite, x: TensorValue, source: PyValue, destination: PyValue, name: string): TensorValue {
  const from = toAxes(source)!.map((d) => normaliseAxis(d, x.rank));
  const to = toAxes(destination)!.map((d) => normaliseAxis(d, x.rank));
  if (from.length !== to.length) {
    throw runtimeError(
      `movedim: Invalid source or destination dims: source (${repr(source)} dims) should contain the same ` +
        `number of dims as destination (${repr(destination)} dims)`,
    );
  }
  if (new Set(from).size !== from.length) throw runtimeError(`movedim: repeated dim in \`source\` (${repr(source)})`);
  if (new Set(to).size !== to.length)
    throw runtimeError(`movedim: repeated dim in \`destination\` (${repr(destination)})`);
  const order: number[] = new Array(x.rank).fill(-1);
  from.forEach((d, i) => (order[to[i]] = d));
  const rest = x.shape.map((_, i) => i).filter((i) => !from.includes(i));
  for (let i = 0, r = 0; i < x.rank; i++) if (order[i] < 0) order[i] = rest[r++];
  return permute(site, x, order, name);
}
for (const name of ['movedim', 'moveaxis']) {
  both(name, ['source', 'destination'], (x, a, site) => movedim(site, x, a.source, a.destination, name));
}

/** chunk(chunks, dim): pieces of ceil(size / chunks) along `dim` (fewer when the size runs out), as torch. */
both('chunk', ['chunks', 'dim=0'], (x, a, site) => {
  const chunks = intArg(a.chunks, 'chunks');
  if (chunks <= 0) throw runtimeError('chunk expects `chunks` to be greater than 0, got: ' + chunks);
  const dim = normaliseAxis(intArg(a.dim, 'dim'), x.rank);
  const size = x.shape[dim];
  const step = Math.max(1, Math.ceil(size / chunks));
  const pieces: TensorValue[] = [];
  for (let start = 0; start < size || (size === 0 && pieces.length === 0); start += step) {
    const length = Math.min(step, size - start);
    const from = x.shape.map((_, i) => (i === dim ? start : 0));
    const extent = x.shape.map((d, i) => (i === dim ? length : d));
    pieces.push(
      site.rt.apply(site, 'chunk', [x], ([t]) => tf.slice(t, from, extent), {
        kind: { category: 'split', method: 'split', axis: dim },
        dtype: x.dtype,
      }),
    );
    if (size === 0) break;
  }
  return new PyTuple(pieces);
});

// In-place shape changes rebind the tensor object (x.unsqueeze_(1), x.squeeze_(), x.t_()).
for (const name of ['unsqueeze', 'squeeze', 'transpose', 't']) {
  const outOfPlace = tensorMethods[name];
  if (outOfPlace?.kind !== 'method') continue;
  tensorMethods[`${name}_`] = tensorMethod((x, args, site) => {
    x.assignFrom(outOfPlace.call(x, args, site) as TensorValue);
    return x;
  });
}
