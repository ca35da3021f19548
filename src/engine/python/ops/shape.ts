// Shape ops: reshape, flatten, permute, squeeze/unsqueeze, concat/stack, broadcast/tile, and
// tensor construction (ones, zeros, full, arange, eye, linspace).
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../callsite';
import { indexError, runtimeError, valueError } from '../errors';
import { type Flavour, type LogicalDtype, TensorValue, isFloatDtype, storageDtype } from '../tensor';
import { broadcastShapes, castTensor, promoteTypes } from './coercion';
import { normaliseAxis } from './reduce';

function resolveReshape(size: number, shape: number[]): number[] {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw runtimeError('only one dimension can be inferred');
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : size / known) : d));
  if (out.reduce((a, b) => a * b, 1) !== size || out.some((d) => !Number.isInteger(d) || d < 0)) {
    throw runtimeError(`shape '[${shape.join(', ')}]' is invalid for input of size ${size}`);
  }
  return out;
}

export function reshape(site: CallSite, x: TensorValue, shape: number[], opName = 'reshape'): TensorValue {
  const target = resolveReshape(x.size, shape);
  return site.rt.apply(site, opName, [x], ([t]) => tf.reshape(t, target), {
    kind: { category: 'reshape' },
    dtype: x.dtype,
  });
}

/** torch.flatten(x, start_dim, end_dim) (K.flatten / ndarray.flatten are flatten(x, 0, -1)). */
export function flatten(site: CallSite, x: TensorValue, startDim = 0, endDim = -1, opName = 'flatten'): TensorValue {
  if (x.rank === 0) return reshape(site, x, [1], opName);
  const start = normaliseAxis(startDim, x.rank);
  const end = normaliseAxis(endDim, x.rank);
  const merged = x.shape.slice(start, end + 1).reduce((a, b) => a * b, 1);
  return reshape(site, x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)], opName);
}

export function permute(site: CallSite, x: TensorValue, perm: number[] | undefined, opName = 'permute'): TensorValue {
  const order = perm === undefined ? x.shape.map((_, i) => x.rank - 1 - i) : perm.map((p) => normaliseAxis(p, x.rank));
  if (order.length !== x.rank || new Set(order).size !== order.length) {
    throw runtimeError(`permute: number of dims don't match (got ${order.length} for a tensor of rank ${x.rank})`);
  }
  return site.rt.apply(site, opName, [x], ([t]) => tf.transpose(t, order), {
    kind: { category: 'transpose', permutation: order },
    dtype: x.dtype,
  });
}

/** Swap two axes (torch.transpose(x, d0, d1), np.swapaxes). */
export function swapAxes(site: CallSite, x: TensorValue, a: number, b: number, opName = 'transpose'): TensorValue {
  const order = x.shape.map((_, i) => i);
  const i = normaliseAxis(a, x.rank);
  const j = normaliseAxis(b, x.rank);
  [order[i], order[j]] = [order[j], order[i]];
  return site.rt.apply(site, opName, [x], ([t]) => tf.transpose(t, order), {
    kind: { category: 'transpose', permutation: order },
    dtype: x.dtype,
  });
}

/** squeeze: all size-1 axes, or the given ones. torch ignores a named axis whose size is not 1; TF/numpy raise. */
export function squeeze(
  site: CallSite,
  x: TensorValue,
  axes: number[] | undefined,
  strict: boolean,
  opName = 'squeeze',
): TensorValue {
  let dims: number[];
  if (axes === undefined) dims = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  else {
    dims = axes.map((a) => normaliseAxis(a, x.rank));
    const bad = dims.filter((d) => x.shape[d] !== 1);
    if (bad.length && strict)
      throw valueError(
        'cannot select an axis to squeeze out which has size not equal to one ' +
          `(axis ${bad[0]}, size ${x.shape[bad[0]]})`,
      );
    dims = dims.filter((d) => x.shape[d] === 1);
  }
  const target = x.shape.filter((_, i) => !dims.includes(i));
  return site.rt.apply(site, opName, [x], ([t]) => tf.reshape(t, target), {
    kind: { category: 'reshape' },
    dtype: x.dtype,
  });
}

export function expandDims(site: CallSite, x: TensorValue, axis: number, opName = 'unsqueeze'): TensorValue {
  const rank = x.rank + 1;
  if (axis < -rank || axis >= rank) {
    throw indexError(`Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${axis})`);
  }
  const a = axis < 0 ? axis + rank : axis;
  return site.rt.apply(site, opName, [x], ([t]) => tf.expandDims(t, a), {
    kind: { category: 'reshape' },
    dtype: x.dtype,
  });
}

function commonDtype(items: TensorValue[], flavour: Flavour): LogicalDtype {
  return items.map((t) => t.dtype).reduce((a, b) => promoteTypes(a, b, flavour));
}

export function concat(site: CallSite, items: TensorValue[], axis: number, opName = 'concat'): TensorValue {
  if (!items.length) throw valueError('concat expects a non-empty list of tensors');
  const rank = items[0].rank;
  const a = normaliseAxis(axis, rank);
  for (const t of items) {
    if (t.rank !== rank || t.shape.some((d, i) => i !== a && d !== items[0].shape[i])) {
      throw runtimeError(
        `Sizes of tensors must match except in dimension ${a}: got [${items[0].shape.join(', ')}] ` +
          `and [${t.shape.join(', ')}]`,
      );
    }
  }
  const dtype = commonDtype(items, items[0].flavour);
  const cast = items.map((t) => castTensor(site, t, dtype));
  return site.rt.apply(site, opName, cast, (ts) => tf.concat(ts, a), {
    kind: { category: 'join', method: 'concat', axis: a },
    dtype,
  });
}

export function stack(site: CallSite, items: TensorValue[], axis: number, opName = 'stack'): TensorValue {
  if (!items.length) throw valueError('stack expects a non-empty list of tensors');
  for (const t of items) {
    if (t.shape.join(',') !== items[0].shape.join(',')) {
      throw runtimeError(
        `stack expects each tensor to be equal size, but got [${items[0].shape.join(', ')}] and ` +
          `[${t.shape.join(', ')}]`,
      );
    }
  }
  const rank = items[0].rank + 1;
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw indexError(`Dimension out of range (got ${axis})`);
  const dtype = commonDtype(items, items[0].flavour);
  const cast = items.map((t) => castTensor(site, t, dtype));
  return site.rt.apply(site, opName, cast, (ts) => tf.stack(ts, a), {
    kind: { category: 'join', method: 'stack', axis: a },
    dtype,
  });
}

export function broadcastTo(site: CallSite, x: TensorValue, shape: number[], opName = 'broadcast_to'): TensorValue {
  const target = shape.map((d, i) => (d === -1 ? x.shape[x.shape.length - shape.length + i] : d));
  const result = broadcastShapes(x.shape, target);
  if (result.join(',') !== target.join(',')) {
    throw runtimeError(`cannot broadcast [${x.shape.join(', ')}] to [${target.join(', ')}]`);
  }
  site.rt.guard.checkTensorElements(target, opName);
  // tf.broadcastTo tiles, and TF.js has no tile gradient above rank 4: those go through tileKernel.
  const padded = [...Array(target.length - x.rank).fill(1), ...x.shape];
  const expand = (t: tf.Tensor) =>
    target.length <= 4
      ? tf.broadcastTo(t, target)
      : tileKernel(
          tf.reshape(t, padded),
          padded.map((d, i) => (d === target[i] ? 1 : target[i])),
        );
  return site.rt.apply(site, opName, [x], ([t]) => expand(t), {
    kind: { category: 'replicate', method: 'broadcast' },
    dtype: x.dtype,
    broadcast: true,
  });
}

export function tile(site: CallSite, x: TensorValue, reps: number[], opName = 'tile'): TensorValue {
  const full = [...Array(Math.max(0, reps.length - x.rank)).fill(1), ...x.shape];
  const r = [...Array(Math.max(0, full.length - reps.length)).fill(1), ...reps];
  site.rt.guard.checkTensorElements(
    full.map((d, i) => d * r[i]),
    opName,
  );
  return site.rt.apply(site, opName, [x], ([t]) => tileKernel(tf.reshape(t, full), r), {
    kind: { category: 'replicate', method: 'tile' },
    dtype: x.dtype,
  });
}

/**
 * tf.tile with a gradient for every rank (TF.js has none above rank 4): each copy's gradient is summed
 * back, one tiled axis at a time, viewed as [before, copies, size, after].
 */
export function tileKernel(t: tf.Tensor, reps: number[]): tf.Tensor {
  if (t.rank <= 4 || t.dtype !== 'float32') return tf.tile(t, reps);
  const shape = t.shape;
  return tf.customGrad(((x: tf.Tensor) => ({
    value: tf.tile(x, reps),
    gradFunc: (dy: tf.Tensor) => {
      let g = dy;
      shape.forEach((size, axis) => {
        if (reps[axis] === 1) return;
        const before = g.shape.slice(0, axis).reduce((a, b) => a * b, 1);
        const after = g.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
        const summed = tf.sum(tf.reshape(g, [before, reps[axis], size, after]), 1);
        g = tf.reshape(
          summed,
          g.shape.map((d, i) => (i === axis ? size : d)),
        );
      });
      return g;
    },
  })) as unknown as Parameters<typeof tf.customGrad>[0])(t) as tf.Tensor;
}

/** A filled tensor; the size is checked before anything is allocated. */
export function filled(
  site: CallSite,
  shape: number[],
  value: number,
  dtype: LogicalDtype,
  flavour: Flavour,
  opName = 'full',
): TensorValue {
  site.rt.guard.checkTensorElements(shape, opName);
  return site.rt.constant(tf.fill(shape, value, storageDtype(dtype)), undefined, dtype, flavour);
}

export function arange(
  site: CallSite,
  start: number,
  stop: number,
  step: number,
  dtype: LogicalDtype,
  flavour: Flavour,
): TensorValue {
  if (step === 0) throw valueError('arange: step must be nonzero');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  site.rt.guard.checkTensorElements([count], 'arange');
  return site.rt.constant(
    tf.range(start, stop, step, isFloatDtype(dtype) ? 'float32' : 'int32'),
    undefined,
    dtype,
    flavour,
  );
}

export function eye(site: CallSite, n: number, m: number, dtype: LogicalDtype, flavour: Flavour): TensorValue {
  site.rt.guard.checkTensorElements([n, m], 'eye');
  return site.rt.constant(tf.cast(tf.eye(n, m), storageDtype(dtype)), undefined, dtype, flavour);
}

export function linspace(
  site: CallSite,
  start: number,
  stop: number,
  num: number,
  dtype: LogicalDtype,
  flavour: Flavour,
): TensorValue {
  site.rt.guard.checkTensorElements([num], 'linspace');
  return site.rt.constant(tf.linspace(start, stop, num), undefined, dtype, flavour);
}

export function zerosLike(
  site: CallSite,
  x: TensorValue,
  value: number,
  dtype?: LogicalDtype,
  opName = 'full_like',
): TensorValue {
  return filled(site, x.shape, value, dtype ?? x.dtype, x.flavour, opName);
}
