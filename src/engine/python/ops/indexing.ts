// Tensor subscripts with numpy/torch/TF semantics: ints, slices with steps, None, Ellipsis, one
// advanced index (integer list/tensor or boolean mask), and item assignment.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../callsite';
import { InterpreterError, indexError, typeError } from '../errors';
import { isTensor, normaliseIndex, resolveSlice, toInt } from '../protocols';
import { TensorValue } from '../tensor';
import { PyEllipsis, PyList, PySlice, PyTuple, type PyValue, typeName } from '../values';
import { asTensor, broadcastShapes } from './coercion';

/**
 * tf.gather whose gradient is a scatter: the wasm backend lacks UnsortedSegmentSum, which the
 * built-in gather gradient needs.
 */
export function gatherAlong(x: tf.Tensor, indices: number[] | Int32Array, axis: number): tf.Tensor {
  const positions = Int32Array.from(indices);
  // The index tensor is rebuilt in the backward pass: tensors captured from the forward pass (and
  // not saved) are disposed by then.
  return tf.customGrad(((input: tf.Tensor) => ({
    value: tf.gather(input, tf.tensor1d(positions, 'int32'), axis),
    gradFunc: (dy: tf.Tensor) => {
      const perm = [axis, ...dy.shape.map((_, i) => i).filter((i) => i !== axis)];
      const moved = tf.transpose(dy, perm);
      const targetShape = [input.shape[axis], ...moved.shape.slice(1)];
      const scattered = tf.scatterND(tf.tensor2d(positions, [positions.length, 1], 'int32'), moved, targetShape);
      const inverse = perm.map((_, i) => perm.indexOf(i));
      return tf.transpose(scattered, inverse);
    },
  })) as unknown as Parameters<typeof tf.customGrad>[0])(x) as tf.Tensor;
}

type Step =
  | { kind: 'newaxis' }
  | { kind: 'int'; index: number }
  | { kind: 'slice'; slice: PySlice }
  | { kind: 'mask'; positions: Int32Array; rank: number; shape: number[] }
  | { kind: 'gather'; indices: Int32Array; shape: number[] };

function isAdvanced(item: PyValue): boolean {
  return isTensor(item) || item instanceof PyList;
}

/** Turns a Python index into steps, reading advanced indices' values now (they are never differentiated). */
function planSteps(site: CallSite, x: TensorValue, index: PyValue): Step[] {
  let items: PyValue[] = index instanceof PyTuple && index.typeName === 'tuple' ? [...index.items] : [index];
  const advancedCount = items.filter(isAdvanced).length;
  if (advancedCount > 1)
    throw new InterpreterError('unsupported', 'unsupported: more than one advanced (array) index in one subscript');
  const consumed = items.reduce<number>((n, item) => {
    if (item === null || item instanceof PyEllipsis) return n;
    if (isTensor(item) && item.dtype === 'bool') return n + Math.max(item.rank, 1);
    return n + 1;
  }, 0);
  if (consumed > x.rank) throw indexError(`too many indices for tensor of dimension ${x.rank}`);
  const ellipsis = items.findIndex((i) => i instanceof PyEllipsis);
  const fill = () => Array.from({ length: x.rank - consumed }, () => new PySlice(null, null, null));
  if (ellipsis >= 0)
    items = [
      ...items.slice(0, ellipsis),
      ...fill(),
      ...items.slice(ellipsis + 1).filter((i) => !(i instanceof PyEllipsis)),
    ];
  const steps: Step[] = [];
  let dim = 0;
  for (const raw of items) {
    let item = raw;
    if (item === null) {
      steps.push({ kind: 'newaxis' });
      continue;
    }
    if (item instanceof PyList) item = asTensor(site, item, x.flavour);
    if (item instanceof PySlice) {
      steps.push({ kind: 'slice', slice: item });
      dim++;
      continue;
    }
    if (isTensor(item)) {
      if (item.dtype === 'bool') {
        const rank = Math.max(item.rank, 1);
        const want = x.shape.slice(dim, dim + rank);
        const maskShape = item.rank === 0 ? [1] : item.shape;
        if (want.join(',') !== maskShape.join(',')) {
          throw indexError(
            `the shape of the mask [${item.shape.join(', ')}] does not match the shape of the ` +
              `indexed tensor [${want.join(', ')}] at dimension ${dim}`,
          );
        }
        const data = item.tensor.dataSync();
        const positions: number[] = [];
        for (let i = 0; i < data.length; i++) if (data[i]) positions.push(i);
        steps.push({ kind: 'mask', positions: Int32Array.from(positions), rank, shape: maskShape });
        dim += rank;
        continue;
      }
      if (item.dtype === 'float32' || item.dtype === 'float64' || item.dtype === 'float16') {
        throw indexError('tensors used as indices must be long, int, byte or bool tensors');
      }
      const size = x.shape[dim];
      const indices = Int32Array.from(item.tensor.dataSync(), (v) => normaliseIndex(Number(v), size));
      steps.push({ kind: 'gather', indices, shape: item.shape });
      dim++;
      continue;
    }
    if (typeof item === 'bigint' || typeof item === 'boolean' || typeof item === 'number') {
      steps.push({ kind: 'int', index: normaliseIndex(toInt(item, 'index'), x.shape[dim]) });
      dim++;
      continue;
    }
    throw typeError(`invalid index of type ${typeName(item)}`);
  }
  while (dim < x.rank) {
    steps.push({ kind: 'slice', slice: new PySlice(null, null, null) });
    dim++;
  }
  return steps;
}

function applySteps(t: tf.Tensor, steps: Step[]): tf.Tensor {
  let dim = 0;
  for (const step of steps) {
    switch (step.kind) {
      case 'newaxis':
        t = tf.expandDims(t, dim);
        dim++;
        break;
      case 'int': {
        const begin = t.shape.map((_, i) => (i === dim ? step.index : 0));
        const size = t.shape.map((d, i) => (i === dim ? 1 : d));
        t = tf.squeeze(tf.slice(t, begin, size), [dim]);
        break;
      }
      case 'slice': {
        const { start, step: stride, count } = resolveSlice(step.slice, t.shape[dim]);
        if (stride === 1) {
          if (start !== 0 || count !== t.shape[dim]) {
            const begin = t.shape.map((_, i) => (i === dim ? start : 0));
            const size = t.shape.map((d, i) => (i === dim ? count : d));
            t = tf.slice(t, begin, size);
          }
        } else {
          t = gatherAlong(
            t,
            Array.from({ length: count }, (_, k) => start + k * stride),
            dim,
          );
        }
        dim++;
        break;
      }
      case 'mask': {
        const merged = step.shape.reduce((a, b) => a * b, 1);
        const pre = t.shape.slice(0, dim);
        const post = t.shape.slice(dim + step.rank);
        t = gatherAlong(tf.reshape(t, [...pre, merged, ...post]), step.positions, dim);
        dim++;
        break;
      }
      case 'gather': {
        const pre = t.shape.slice(0, dim);
        const post = t.shape.slice(dim + 1);
        t = tf.reshape(gatherAlong(t, step.indices, dim), [...pre, ...step.shape, ...post]);
        dim += step.shape.length;
        break;
      }
    }
  }
  return t;
}

export function indexTensor(site: CallSite, x: TensorValue, index: PyValue): TensorValue {
  const steps = planSteps(site, x, index);
  const method = steps.some((step) => step.kind === 'mask') ? 'boolean_mask' : 'subscript';
  return site.rt.apply(site, 'getitem', [x], ([t]) => applySteps(t, steps), {
    kind: { category: 'indexing', method },
    dtype: x.dtype,
  });
}

/** x[index] = value, as a functional update (scatter + where) that keeps gradients to both sides. */
export function setTensorItem(site: CallSite, x: TensorValue, index: PyValue, value: PyValue): void {
  const steps = planSteps(site, x, index);
  const positionsTensor = applySteps(tf.reshape(tf.range(0, x.size, 1, 'int32'), x.shape), steps);
  const selectedShape = positionsTensor.shape;
  const positions = positionsTensor.dataSync() as Int32Array;
  positionsTensor.dispose();
  const update = asTensor(site, value, x.flavour, x.dtype);
  broadcastShapes(update.shape, selectedShape);
  const maskData = new Uint8Array(x.size);
  for (const p of positions) maskData[p] = 1;
  const result = site.rt.apply(
    site,
    'setitem',
    [x, update],
    ([base, upd]) => {
      // A mask that selects nothing (MONAI's `w[isinf(w)] = 0` with no Inf) changes nothing.
      if (positions.length === 0) return tf.clone(base);
      const flatUpdate = tf.reshape(tf.broadcastTo(upd, selectedShape), [-1]);
      const scattered = tf.reshape(
        tf.scatterND(tf.tensor2d(positions, [positions.length, 1], 'int32'), flatUpdate, [x.size]),
        x.shape,
      );
      const mask = tf.tensor(maskData, x.shape, 'bool');
      return tf.where(mask, scattered, base);
    },
    { kind: { category: 'scatter', method: 'setitem' }, dtype: x.dtype },
  );
  x.assignFrom(result);
}
