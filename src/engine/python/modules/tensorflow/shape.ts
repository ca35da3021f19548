// Shapes: tf.shape/size/rank, reshape, transpose, expand_dims, squeeze, concat, stack, unstack,
// split, tile, broadcast_to, reverse and pad, with TF's checks and InvalidArgumentError texts.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { InterpreterError, invalidArgumentError, typeError, valueError } from '../../errors';
import { broadcastTo, concat, expandDims, permute, reshape, squeeze, stack, tile } from '../../ops/shape';
import { isTensor, toFloat, toInt } from '../../protocols';
import type { TensorValue } from '../../tensor';
import { PyList, PyTuple, type PyValue, typeName } from '../../values';
import { T, TF_FLAVOUR, isTfTensor, sameDtype, shapeOf, tfAxes, tfAxis, tfDtype } from './arguments';
import { fn, linalg, top } from './tables';

export function tfShape(site: CallSite, value: PyValue, outType: PyValue = null): TensorValue {
  const x = T(site, value);
  const dtype = tfDtype(outType) ?? 'int32';
  return site.rt.constant(x.shape, [x.rank], dtype, TF_FLAVOUR);
}

export function tfReshape(site: CallSite, value: PyValue, shapeValue: PyValue): TensorValue {
  const x = T(site, value);
  const shape = shapeOf(shapeValue);
  const unknown = shape.filter((d) => d === -1).length;
  const known = shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  if (unknown > 1 || shape.some((d) => d < -1)) {
    throw invalidArgumentError(`Only one input size may be -1, not both; got shape [${shape.join(', ')}]`);
  }
  const resolved = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  if (resolved.reduce((p, d) => p * d, 1) !== x.size || resolved.some((d) => !Number.isInteger(d))) {
    throw invalidArgumentError(
      `Input to reshape is a tensor with ${x.size} values, but the requested shape ` +
        `${unknown ? 'requires a multiple of' : 'has'} ${known} [Op:Reshape]`,
    );
  }
  return reshape(site, x, resolved, 'reshape');
}

export function tfTranspose(site: CallSite, value: PyValue, perm: PyValue): TensorValue {
  const x = T(site, value);
  if (perm === null) return permute(site, x, undefined, 'transpose');
  const order = shapeOf(perm);
  if (order.length !== x.rank) {
    throw invalidArgumentError(
      `transpose expects a vector of size ${x.rank}. But input(1) is a vector of size ` + `${order.length}`,
    );
  }
  return permute(site, x, order, 'transpose');
}

export function tfExpandDims(site: CallSite, value: PyValue, axis: PyValue): TensorValue {
  const x = T(site, value);
  const a = toInt(axis, 'axis');
  if (a < -x.rank - 1 || a > x.rank) {
    throw invalidArgumentError(`Tried to expand dim index ${a} for tensor with ${x.rank} dimensions. [Op:ExpandDims]`);
  }
  return expandDims(site, x, a, 'expand_dims');
}

export function tfSqueeze(site: CallSite, value: PyValue, axis: PyValue): TensorValue {
  const x = T(site, value);
  const dims =
    axis === null
      ? undefined
      : (axis instanceof PyList || axis instanceof PyTuple ? axis.items : [axis]).map((v) =>
          tfAxis(v, x.rank, 'squeeze'),
        );
  for (const d of dims ?? []) {
    if (x.shape[d] !== 1) {
      throw invalidArgumentError(
        `Can not squeeze dim[${d}], expected a dimension of 1, got ${x.shape[d]} ` + `[Op:Squeeze]`,
      );
    }
  }
  return squeeze(site, x, dims, true, 'squeeze');
}

export function tfConcat(site: CallSite, values: PyValue, axis: PyValue, opName = 'concat'): TensorValue {
  const items = sameDtype(site, 'ConcatV2', [...listOf(site, values, 'concat')]);
  if (!items.length) throw valueError('concat: at least one tensor is needed');
  if (items[0].rank === 0) throw invalidArgumentError("Can't concatenate scalars (use tf.stack instead)");
  return concat(site, items, tfAxis(axis, items[0].rank, 'concat'), opName);
}

export function tfStack(site: CallSite, values: PyValue, axis: PyValue, opName = 'stack'): TensorValue {
  const items = sameDtype(site, 'Pack', [...listOf(site, values, 'stack')]);
  if (!items.length) throw valueError('stack: at least one tensor is needed');
  const a = toInt(axis, 'axis');
  const rank = items[0].rank + 1;
  if (a < -rank || a >= rank) throw valueError(`Argument \`axis\` = ${a} not in range [${-rank}, ${rank})`);
  return stack(site, items, a < 0 ? a + rank : a, opName);
}

export function unstackTensor(site: CallSite, x: TensorValue, axis: number): PyValue[] {
  const a = tfAxis(axis, x.rank, 'unstack');
  return Array.from({ length: x.shape[a] }, (_, i) => {
    const [from, size] = [x.shape.map((_, k) => (k === a ? i : 0)), x.shape.map((d, k) => (k === a ? 1 : d))];
    return site.rt.apply(site, 'unstack', [x], ([t]) => tf.squeeze(tf.slice(t, from, size), [a]), {
      kind: { category: 'split', method: 'unstack', axis: a },
      dtype: x.dtype,
    });
  });
}

/** A list argument of tensors; a single tensor is one item (concat) or its rows (stack). */
const listOf = (site: CallSite, value: PyValue, what: string): TensorValue[] => {
  if (isTfTensor(value))
    return what === 'concat' || value.rank === 0 ? [value] : (unstackTensor(site, value, 0) as TensorValue[]);
  if (!(value instanceof PyList || value instanceof PyTuple))
    throw typeError(`${what} expects a list of tensors, got ${typeName(value)}`);
  return value.items.map((v) => T(site, v));
};

fn([top], 'shape', ['input', 'out_type=None', 'name=None'], (a, site) => tfShape(site, a.input, a.out_type));
fn([top], 'size', ['input', 'out_type=None', 'name=None'], (a, site) =>
  site.rt.constant([T(site, a.input).size], [], tfDtype(a.out_type) ?? 'int32', TF_FLAVOUR),
);
fn([top], 'rank', ['input', 'name=None'], (a, site) =>
  site.rt.constant([T(site, a.input).rank], [], 'int32', TF_FLAVOUR),
);
fn([top], 'reshape', ['tensor', 'shape', 'name=None'], (a, site) => tfReshape(site, a.tensor, a.shape));
fn([top, linalg], 'transpose', ['a', 'perm=None', 'conjugate=False', "name='transpose'"], (a, site) =>
  tfTranspose(site, a.a, a.perm),
);
fn([top], 'expand_dims', ['input', 'axis', 'name=None'], (a, site) => tfExpandDims(site, a.input, a.axis));
fn([top], 'squeeze', ['input', 'axis=None', 'name=None'], (a, site) => tfSqueeze(site, a.input, a.axis));
fn([top], 'concat', ['values', 'axis', "name='concat'"], (a, site) => tfConcat(site, a.values, a.axis));
fn([top], 'stack', ['values', 'axis=0', "name='stack'"], (a, site) => tfStack(site, a.values, a.axis));
fn(
  [top],
  'unstack',
  ['value', 'num=None', 'axis=0', "name='unstack'"],
  (a, site) => new PyList(unstackTensor(site, T(site, a.value), toInt(a.axis))),
);
fn([top], 'split', ['value', 'num_or_size_splits', 'axis=0', 'num=None', "name='split'"], (a, site) => {
  const x = T(site, a.value);
  const axis = tfAxis(a.axis, x.rank, 'split');
  const size = x.shape[axis];
  let sizes: number[];
  if (
    a.num_or_size_splits instanceof PyList ||
    a.num_or_size_splits instanceof PyTuple ||
    isTensor(a.num_or_size_splits)
  ) {
    sizes = shapeOf(a.num_or_size_splits);
    const unknown = sizes.indexOf(-1);
    if (unknown >= 0) sizes[unknown] = size - sizes.reduce((p, d, i) => (i === unknown ? p : p + d), 0);
    if (sizes.reduce((p, d) => p + d, 0) !== size) {
      throw invalidArgumentError(
        `Determined shape must either match input shape along split_dim exactly if fully ` +
          `specified, or be less than the size of the input along split_dim if not fully specified.  Got: ` +
          `${sizes.reduce((p, d) => p + d, 0)}`,
      );
    }
  } else {
    const n = toInt(a.num_or_size_splits);
    if (n <= 0 || size % n !== 0) {
      throw invalidArgumentError(
        `Number of ways to split should evenly divide the split dimension, but got ` +
          `split_dim ${axis} (size = ${size}) and num_split ${n}`,
      );
    }
    sizes = Array(n).fill(size / n);
  }
  let start = 0;
  return new PyList(
    sizes.map((s) => {
      const begin = start;
      start += s;
      const [from, size] = [
        x.shape.map((_, i) => (i === axis ? begin : 0)),
        x.shape.map((d, i) => (i === axis ? s : d)),
      ];
      return site.rt.apply(site, 'split', [x], ([t]) => tf.slice(t, from, size), {
        kind: { category: 'split', method: 'split', axis },
        dtype: x.dtype,
      });
    }),
  );
});
fn([top], 'tile', ['input', 'multiples', 'name=None'], (a, site) => {
  const x = T(site, a.input);
  const reps = shapeOf(a.multiples);
  if (reps.length !== x.rank) {
    throw invalidArgumentError(
      `Expected multiples argument to be a vector of length ${x.rank} but got length ` + `${reps.length} [Op:Tile]`,
    );
  }
  return tile(site, x, reps, 'tile');
});
fn([top], 'broadcast_to', ['input', 'shape', 'name=None'], (a, site) =>
  broadcastTo(site, T(site, a.input), shapeOf(a.shape), 'broadcast_to'),
);
fn([top], 'reverse', ['tensor', 'axis', 'name=None'], (a, site) => {
  const x = T(site, a.tensor);
  const dims = tfAxes(a.axis, x.rank, 'reverse') ?? [];
  return site.rt.apply(site, 'reverse', [x], ([t]) => (dims.length ? tf.reverse(t, dims) : tf.clone(t)), {
    kind: { category: 'reverse', axes: dims },
    dtype: x.dtype,
  });
});
fn([top], 'pad', ['tensor', 'paddings', "mode='CONSTANT'", 'constant_values=0', 'name=None'], (a, site) => {
  const x = T(site, a.tensor);
  if (String(a.mode).toUpperCase() !== 'CONSTANT')
    throw new InterpreterError('unsupported', `unsupported: tf.pad with mode='${String(a.mode)}'`);
  const flat = shapeOf(
    a.paddings instanceof PyList || a.paddings instanceof PyTuple
      ? new PyList(a.paddings.items.flatMap((p) => (p instanceof PyList || p instanceof PyTuple ? [...p.items] : [p])))
      : a.paddings,
  );
  if (flat.length !== 2 * x.rank) {
    throw invalidArgumentError(`The first dimension of paddings must be the rank of inputs [${x.rank},2]`);
  }
  const pairs = Array.from({ length: x.rank }, (_, i) => [flat[2 * i], flat[2 * i + 1]] as [number, number]);
  site.rt.guard.checkTensorElements(
    x.shape.map((d, i) => d + pairs[i][0] + pairs[i][1]),
    'pad',
  );
  return site.rt.apply(site, 'pad', [x], ([t]) => tf.pad(t, pairs, toFloat(a.constant_values)), {
    kind: { category: 'pad', widths: pairs },
    dtype: x.dtype,
  });
});
