// K.* shapes and products: reshape/flatten, permute_dimensions/transpose, expand_dims/squeeze,
// concatenate/stack, one_hot, gather, tile, reverse, repeat_elements, dot and batch_dot.
import { invalidArgumentError, valueError } from '../../errors';
import { einsum } from '../../ops/nn';
import { toInt } from '../../protocols';
import { PyList, PyTuple } from '../../values';
import {
  T,
  TF_FLAVOUR,
  TF_TABLES,
  tfConcat,
  tfExpandDims,
  tfOneHot,
  tfReshape,
  tfSqueeze,
  tfStack,
  tfTranspose,
} from '../tensorflow';
import { K, call } from './tables';

K('reshape', ['x', 'shape'], (a, site) => tfReshape(site, a.x, a.shape));
K('flatten', ['x'], (a, site) => tfReshape(site, a.x, new PyList([-1n])));
K('batch_flatten', ['x'], (a, site) => {
  const x = T(site, a.x);
  const rest = x.shape.slice(1).reduce((p, d) => p * d, 1);
  return tfReshape(site, x, new PyList([-1n, BigInt(rest)]));
});
K('permute_dimensions', ['x', 'pattern'], (a, site) => tfTranspose(site, a.x, a.pattern));
K('transpose', ['x'], (a, site) => tfTranspose(site, a.x, null));
K('expand_dims', ['x', 'axis=-1'], (a, site) => tfExpandDims(site, a.x, a.axis));
K('squeeze', ['x', 'axis'], (a, site) => tfSqueeze(site, a.x, new PyList([a.axis])));
K('concatenate', ['tensors', 'axis=-1'], (a, site) => {
  let axis = toInt(a.axis, 'axis');
  if (axis < 0) {
    const items = a.tensors instanceof PyList || a.tensors instanceof PyTuple ? a.tensors.items : [];
    const rank = items.length ? T(site, items[0]).rank : 0;
    axis = rank ? ((axis % rank) + rank) % rank : 0;
  }
  return tfConcat(site, a.tensors, BigInt(axis), 'concatenate');
});
K('stack', ['x', 'axis=0'], (a, site) => tfStack(site, a.x, a.axis));
K('one_hot', ['indices', 'num_classes'], (a, site) => tfOneHot(site, a.indices, a.num_classes, null, null, -1n, null));
K('gather', ['reference', 'indices'], (a, site) => call(site, TF_TABLES.top.get('gather')!, [a.reference, a.indices]));
K('tile', ['x', 'n'], (a, site) =>
  call(site, TF_TABLES.top.get('tile')!, [a.x, typeof a.n === 'bigint' ? new PyList([a.n]) : a.n]),
);
K('reverse', ['x', 'axes'], (a, site) =>
  call(site, TF_TABLES.top.get('reverse')!, [a.x, typeof a.axes === 'bigint' ? new PyList([a.axes]) : a.axes]),
);
K('repeat_elements', ['x', 'rep', 'axis'], (a, site) => {
  const x = T(site, a.x);
  const rep = toInt(a.rep, 'rep');
  const axis = toInt(a.axis, 'axis');
  const ax = axis < 0 ? axis + x.rank : axis;
  const indices = Array.from({ length: x.shape[ax] * rep }, (_, i) => BigInt(Math.floor(i / rep)));
  return call(site, TF_TABLES.top.get('gather')!, [x, new PyList(indices)], new Map([['axis', BigInt(ax)]]));
});

/** K.dot: a matmul over x's last axis and y's second-to-last (y's only axis when it is a vector). */
K('dot', ['x', 'y'], (a, site) => {
  const x = T(site, a.x);
  const y = T(site, a.y);
  if (x.rank <= 2 && y.rank <= 2) return call(site, TF_TABLES.top.get('matmul')!, [x, y]);
  return call(site, TF_TABLES.top.get('tensordot')!, [
    x,
    y,
    new PyList([new PyList([BigInt(x.rank - 1)]), new PyList([BigInt(y.rank - 2)])]),
  ]);
});

/** K.batch_dot: a contraction per batch entry (axes default: x's last with y's second-to-last, or last). */
K('batch_dot', ['x', 'y', 'axes=None'], (a, site) => {
  const x = T(site, a.x);
  const y = T(site, a.y);
  if (x.rank < 2 || y.rank < 2)
    throw valueError(
      `Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes ${x.shape} and ${y.shape}.`,
    );
  if (x.dtype !== y.dtype) {
    throw invalidArgumentError(`batch_dot: x and y must share a dtype (${x.dtype} vs ${y.dtype})`);
  }
  let axes: [number, number];
  if (a.axes === null) axes = [x.rank - 1, y.rank === 2 ? y.rank - 1 : y.rank - 2];
  else if (a.axes instanceof PyList || a.axes instanceof PyTuple)
    axes = [toInt(a.axes.items[0]), toInt(a.axes.items[1])];
  else axes = [toInt(a.axes), toInt(a.axes)];
  const [ax, ay] = [axes[0] < 0 ? axes[0] + x.rank : axes[0], axes[1] < 0 ? axes[1] + y.rank : axes[1]];
  if (ax === 0 || ay === 0) throw valueError('Cannot perform batch_dot over axis 0 (the batch axis).');
  if (x.shape[ax] !== y.shape[ay])
    throw valueError(
      `Cannot do batch_dot on inputs with shapes ${x.shape} and ${y.shape} with axes=${axes}. ` +
        `x.shape[${ax}] != y.shape[${ay}] (${x.shape[ax]} != ${y.shape[ay]}).`,
    );
  const letters = 'bcdefghijklmnopqrstuvwxyz';
  const specX = ['a', ...letters.slice(0, x.rank - 1)];
  const specY = ['a', ...letters.slice(x.rank - 1, x.rank - 1 + y.rank - 1)];
  specY[ay] = specX[ax];
  const out = [...specX.filter((_, i) => i !== ax), ...specY.filter((_, i) => i !== 0 && i !== ay)].join('');
  const result = einsum(site, `${specX.join('')},${specY.join('')}->${out}`, [x, y], TF_FLAVOUR);
  return result.rank === 1 ? tfExpandDims(site, result, 1n) : result;
});
