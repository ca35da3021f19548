// Tensor subscripts with numpy/torch/TF semantics: ints, slices with steps, None, Ellipsis, one
// advanced index (integer list/tensor or boolean mask), and item assignment.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../callsite';
import { indexError, typeError } from '../errors';
import { isTensor, iterate, normaliseIndex, resolveSlice, sliceIndices, toInt } from '../protocols';
import { TensorValue, isIntDtype } from '../tensor';
import { PyEllipsis, PyIterator, PyList, PySlice, PyTuple, type PyValue, typeName } from '../values';
import { asTensor, broadcastShapes } from './coercion';
import { selectWhere } from './select';

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

/** How many of x's dimensions the items index (a boolean mask covers as many as it has). */
function consumedDims(x: TensorValue, items: PyValue[]): number {
  const consumed = items.reduce<number>((n, item) => {
    if (item === null || item instanceof PyEllipsis) return n;
    if (isTensor(item) && item.dtype === 'bool') return n + Math.max(item.rank, 1);
    return n + 1;
  }, 0);
  if (consumed > x.rank) throw indexError(`too many indices for tensor of dimension ${x.rank}`);
  return consumed;
}

/** The items with `...` replaced by full slices over the `free` dimensions nothing else indexes. */
function withoutEllipsis(items: PyValue[], free: number): PyValue[] {
  const ellipsis = items.findIndex((i) => i instanceof PyEllipsis);
  if (ellipsis < 0) return items;
  const fill = Array.from({ length: free }, () => new PySlice(null, null, null));
  return [...items.slice(0, ellipsis), ...fill, ...items.slice(ellipsis + 1).filter((i) => !(i instanceof PyEllipsis))];
}

/**
 * The subscript's items: a tuple's, or torch's reading of a list that holds tensors, lists, slices
 * or None as a tuple of indices (x[[rows, cols]] is x[rows, cols] in torch).
 */
function indexItems(x: TensorValue, index: PyValue): PyValue[] {
  // a range (x[range(n), labels]) indexes as the list it holds
  const listed = (v: PyValue) =>
    v instanceof PyIterator
      ? new PyList([...iterate(v)])
      : v instanceof PyTuple && v.typeName === 'range'
        ? new PyList([...v.items])
        : v;
  if (index instanceof PyTuple && index.typeName === 'tuple') return index.items.map(listed);
  index = listed(index);
  const listAsTuple =
    x.flavour === 'torch' &&
    index instanceof PyList &&
    index.items.some((i) => isTensor(i) || i instanceof PyList || i instanceof PySlice || i === null);
  return listAsTuple ? [...(index as PyList).items] : [index];
}

/** Turns a Python index into steps, reading advanced indices' values now (they are never differentiated). */
function planSteps(site: CallSite, x: TensorValue, items: PyValue[]): Step[] {
  const consumed = consumedDims(x, items);
  items = withoutEllipsis(items, x.rank - consumed);
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

/** The positions a subscript selects: flat indices into x, laid out in the result's shape. */
interface Selection {
  positions: Int32Array;
  shape: number[];
}

/** A subscript read once: basic steps (one advanced index at most), or several advanced indices' positions. */
interface Subscript {
  steps?: Step[];
  advanced?: Selection;
  mask: boolean;
}

function subscript(site: CallSite, x: TensorValue, index: PyValue): Subscript {
  const items = indexItems(x, index);
  const mask = items.some((i) => isTensor(i) && i.dtype === 'bool');
  const arrays = items.filter(isAdvanced).length;
  // numpy counts integers among advanced indices (a[0, :, [1, 2]] puts the index dimension first);
  // torch indexes with them first (its shape is (3, 2) there)
  const integers = items.some((i) => typeof i === 'bigint' || typeof i === 'number');
  const numpyStyle = (x.flavour === 'numpy' || x.flavour === 'theano') && arrays === 1 && integers;
  if (arrays > 1 || numpyStyle) return { advanced: advancedSelection(site, x, items), mask };
  return { steps: planSteps(site, x, items), mask };
}

/** The flat positions the steps select, computed in JavaScript (the steps applied to 0..size-1). */
function stepPositions(inputShape: number[], steps: Step[]): Selection {
  let shape = [...inputShape];
  let table = new Int32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < table.length; i++) table[i] = i;
  /** Keeps `picks` along `dim` (in that order), which then has `picks.length` entries. */
  const take = (dim: number, picks: ArrayLike<number>) => {
    const outer = shape.slice(0, dim).reduce((a, b) => a * b, 1);
    const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const out = new Int32Array(outer * picks.length * inner);
    for (let o = 0, k = 0; o < outer; o++)
      for (let p = 0; p < picks.length; p++) {
        const from = (o * shape[dim] + picks[p]) * inner;
        for (let i = 0; i < inner; i++) out[k++] = table[from + i];
      }
    table = out;
    shape = [...shape.slice(0, dim), picks.length, ...shape.slice(dim + 1)];
  };
  let dim = 0;
  for (const step of steps) {
    switch (step.kind) {
      case 'newaxis':
        shape.splice(dim, 0, 1);
        dim++;
        break;
      case 'int':
        take(dim, [step.index]);
        shape.splice(dim, 1);
        break;
      case 'slice':
        take(dim, sliceIndices(step.slice, shape[dim]));
        dim++;
        break;
      case 'mask': {
        const merged = step.shape.reduce((a, b) => a * b, 1);
        shape = [...shape.slice(0, dim), merged, ...shape.slice(dim + step.rank)];
        take(dim, step.positions);
        dim++;
        break;
      }
      case 'gather':
        take(dim, step.indices);
        shape = [...shape.slice(0, dim), ...step.shape, ...shape.slice(dim + 1)];
        dim += step.shape.length;
        break;
    }
  }
  return { positions: table, shape };
}

function selectedOf(x: TensorValue, sub: Subscript): Selection {
  return sub.advanced ?? stepPositions(x.shape, sub.steps!);
}

/**
 * Several advanced indices (x[rows, cols], x[mask, idx], x[0, :, idx]) as numpy and torch read them:
 * the index arrays (integers, booleans as their non-zero coordinates, and ints among them) broadcast
 * together; their dimensions replace theirs in place when they are adjacent, and go first when a
 * slice or None separates them.
 */
function advancedSelection(site: CallSite, x: TensorValue, raw: PyValue[]): Selection {
  type Entry =
    | { kind: 'basic'; dim: number; indices: number[] }
    | { kind: 'newaxis' }
    | { kind: 'advanced'; dim: number; values: Int32Array; shape: number[] };
  const items = withoutEllipsis(raw, x.rank - consumedDims(x, raw));
  const entries: Entry[] = [];
  let dim = 0;
  for (let item of items) {
    if (item === null) {
      entries.push({ kind: 'newaxis' });
      continue;
    }
    if (item instanceof PySlice) {
      entries.push({ kind: 'basic', dim, indices: sliceIndices(item, x.shape[dim]) });
      dim++;
      continue;
    }
    if (item instanceof PyList) item = asTensor(site, item, x.flavour);
    if (typeof item === 'bigint' || typeof item === 'boolean' || typeof item === 'number') {
      const at = normaliseIndex(toInt(item, 'index'), x.shape[dim]);
      entries.push({ kind: 'advanced', dim, values: Int32Array.of(at), shape: [] });
      dim++;
      continue;
    }
    if (!isTensor(item)) throw typeError(`invalid index of type ${typeName(item)}`);
    if (item.dtype === 'bool') {
      // a mask stands for the coordinates of its true entries, one index array per dimension it covers
      const maskShape = item.rank === 0 ? [1] : item.shape;
      const want = x.shape.slice(dim, dim + maskShape.length);
      if (want.join(',') !== maskShape.join(','))
        throw indexError(
          `the shape of the mask [${item.shape.join(', ')}] does not match the shape of the indexed tensor ` +
            `[${want.join(', ')}] at dimension ${dim}`,
        );
      const data = item.tensor.dataSync();
      const hits: number[] = [];
      for (let i = 0; i < data.length; i++) if (data[i]) hits.push(i);
      maskShape.forEach((size, d) => {
        const stride = maskShape.slice(d + 1).reduce((a, b) => a * b, 1);
        const values = Int32Array.from(hits, (h) => Math.floor(h / stride) % size);
        entries.push({ kind: 'advanced', dim: dim + d, values, shape: [hits.length] });
      });
      dim += maskShape.length;
      continue;
    }
    if (!isIntDtype(item.dtype)) throw indexError('tensors used as indices must be long, int, byte or bool tensors');
    const size = x.shape[dim];
    const values = Int32Array.from(item.tensor.dataSync(), (v) => normaliseIndex(Number(v), size));
    entries.push({ kind: 'advanced', dim, values, shape: item.shape });
    dim++;
  }
  for (; dim < x.rank; dim++)
    entries.push({ kind: 'basic', dim, indices: Array.from({ length: x.shape[dim] }, (_, i) => i) });
  const advanced = entries.flatMap((e, i) => (e.kind === 'advanced' ? [{ e, i }] : []));
  const broadcast = advanced.reduce<number[]>(
    (shape, { e }) =>
      broadcastShapes(shape, (e as { shape: number[] }).shape, (a, b) =>
        indexError(
          'shape mismatch: indexing tensors could not be broadcast together with shapes ' +
            `[${a.join(', ')}], [${b.join(', ')}]`,
        ),
      ),
    [],
  );
  const adjacent = advanced.every(({ i }, k) => k === 0 || i === advanced[k - 1].i + 1);
  // the result's dimensions: [size, role] where role says which entry (or the broadcast block) it comes from
  const basics = entries.map((e, i) => ({ e, i })).filter(({ e }) => e.kind !== 'advanced');
  const lengthOf = (e: Entry) => (e.kind === 'basic' ? e.indices.length : 1);
  const before = adjacent ? basics.filter(({ i }) => i < advanced[0].i) : [];
  const after = adjacent ? basics.filter(({ i }) => i > advanced[0].i) : basics;
  const shape = [...before.map(({ e }) => lengthOf(e)), ...broadcast, ...after.map(({ e }) => lengthOf(e))];
  site.rt.guard.checkTensorElements(shape, 'the indexed result');
  const size = shape.reduce((a, b) => a * b, 1);
  const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const positions = new Int32Array(size);
  const outStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const broadcastAt = before.length;
  for (let flat = 0; flat < size; flat++) {
    const coordinate = (d: number) => Math.floor(flat / outStrides[d]) % shape[d];
    let position = 0;
    before.forEach(({ e }, d) => {
      if (e.kind === 'basic') position += e.indices[coordinate(d)] * strides[e.dim];
    });
    after.forEach(({ e }, d) => {
      if (e.kind === 'basic') position += e.indices[coordinate(broadcastAt + broadcast.length + d)] * strides[e.dim];
    });
    for (const { e } of advanced) {
      const a = e as Extract<Entry, { kind: 'advanced' }>;
      // the entry's own index at this broadcast coordinate (size-1 and missing leading dims broadcast)
      let offset = 0;
      a.shape.forEach((n, k) => {
        const d = broadcastAt + broadcast.length - a.shape.length + k;
        offset = offset * n + (n === 1 ? 0 : coordinate(d));
      });
      position += a.values[offset] * strides[a.dim];
    }
    positions[flat] = position;
  }
  return { positions, shape };
}

/** Which input axis each output axis keeps (-1: added or gathered) and which axes integers remove. */
function stepLayout(steps: Step[]): { axes: number[]; picks: { axis: number; index: number }[] } {
  const axes: number[] = [];
  const picks: { axis: number; index: number }[] = [];
  let dim = 0;
  for (const step of steps) {
    if (step.kind === 'newaxis') axes.push(-1);
    else if (step.kind === 'int') picks.push({ axis: dim++, index: step.index });
    else if (step.kind === 'slice') axes.push(dim++);
    else if (step.kind === 'mask') {
      axes.push(-1);
      dim += step.rank;
    } else {
      axes.push(...step.shape.map(() => -1));
      dim++;
    }
  }
  return { axes, picks };
}

export function indexTensor(site: CallSite, x: TensorValue, index: PyValue): TensorValue {
  const sub = subscript(site, x, index);
  const method = sub.mask ? 'boolean_mask' : 'subscript';
  const layout = sub.steps ? stepLayout(sub.steps) : {};
  return site.rt.apply(
    site,
    'getitem',
    [x],
    ([t]) => {
      if (sub.steps) return applySteps(t, sub.steps);
      const { positions, shape } = sub.advanced!;
      return tf.reshape(gatherAlong(tf.reshape(t, [-1]), positions, 0), shape);
    },
    { kind: { category: 'indexing', method, ...layout }, dtype: x.dtype },
  );
}

/** `updates` (flat) scattered into zeros of `shape` at flat `positions` (repeats add up); the gradient gathers. */
function scatterWithGradient(updates: tf.Tensor, positions: Int32Array, shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  // ScatterNd has no TF.js gradient: the scatter's is a gather of the upstream gradient. The index
  // tensor is rebuilt in the backward pass (tensors made in the forward pass are disposed by then).
  const indices = () => tf.tensor2d(positions, [positions.length, 1], 'int32');
  return tf.customGrad(((u: tf.Tensor) => ({
    value: tf.reshape(tf.scatterND(indices(), u, [size]), shape),
    gradFunc: (dy: tf.Tensor) => tf.gatherND(tf.reshape(dy, [-1]), indices()),
  })) as unknown as Parameters<typeof tf.customGrad>[0])(updates) as tf.Tensor;
}

/**
 * `base` with `updates` (one per position, flat) written at the flat `positions`; where a position
 * repeats, the last write wins. Both sides keep their gradient, and no ScatterNd (which TF.js cannot
 * differentiate) reaches the tape.
 */
export function writeAt(base: tf.Tensor, updates: tf.Tensor, positions: Int32Array): tf.Tensor {
  if (positions.length === 0) return tf.clone(base);
  // the last update written at each position (plain loops: this runs once per item assignment)
  const last = new Map<number, number>();
  for (let k = 0; k < positions.length; k++) last.set(positions[k], k);
  const written = new Uint8Array(base.size);
  for (const p of last.keys()) written[p] = 1;
  let values = tf.reshape(updates, [-1]);
  let at = positions;
  if (last.size !== positions.length) {
    // repeated positions: only each one's last update is written
    at = Int32Array.from(last.keys());
    values = gatherAlong(values, Int32Array.from(last.values()), 0);
  }
  return selectWhere(tf.tensor(written, base.shape, 'bool'), scatterWithGradient(values, at, base.shape), base);
}

/** x[index] = value, as a functional update that keeps gradients to both sides. */
export function setTensorItem(site: CallSite, x: TensorValue, index: PyValue, value: PyValue): void {
  const { positions, shape } = selectedOf(x, subscript(site, x, index));
  const update = asTensor(site, value, x.flavour, x.dtype);
  broadcastShapes(update.shape, shape);
  const result = site.rt.apply(
    site,
    'setitem',
    [x, update],
    // A mask that selects nothing (MONAI's `w[isinf(w)] = 0` with no Inf) changes nothing.
    ([base, upd]) => writeAt(base, tf.broadcastTo(upd, shape), positions),
    { kind: { category: 'scatter', method: 'setitem' }, dtype: x.dtype },
  );
  x.assignFrom(result);
}

/** The flat positions and result shape a subscript selects (index_put, scatter helpers). */
export function selectedPositions(site: CallSite, x: TensorValue, index: PyValue): Selection {
  return selectedOf(x, subscript(site, x, index));
}

/** `base` plus `updates` summed at the flat `positions` (repeats add up), differentiable in both. */
export function addAt(base: tf.Tensor, updates: tf.Tensor, positions: Int32Array): tf.Tensor {
  if (positions.length === 0) return tf.clone(base);
  // scatterND sums repeated positions, and its gradient (gathering dy) holds for repeats too
  return tf.add(base, scatterWithGradient(tf.reshape(updates, [-1]), positions, base.shape));
}

/**
 * The coordinates of the non-zero entries, row-major: an [n, rank] integer tensor, or (asTuple) one
 * 1-D tensor per dimension (torch.nonzero(as_tuple=True), torch.where(c), numpy.nonzero). No gradient.
 */
export function nonzeroCoordinates(
  site: CallSite,
  x: TensorValue,
  asTuple: boolean,
  opName = 'nonzero',
): TensorValue | TensorValue[] {
  const data = x.tensor.dataSync();
  const shape = x.rank === 0 && asTuple ? [1] : x.shape; // a 0-d tensor counts as one-dimensional here
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  const hits: number[] = [];
  for (let i = 0; i < data.length; i++) if (data[i]) hits.push(i);
  const coordinate = (flat: number, d: number) => Math.floor(flat / strides[d]) % shape[d];
  const kind = { category: 'other', reason: 'nonzero: coordinates of the non-zero entries' } as const;
  const extract = (values: number[], valuesShape: number[]) =>
    site.rt.apply(site, opName, [x], () => tf.tensor(values, valuesShape, 'int32'), {
      kind,
      dtype: 'int64',
      gradient: 'cut',
    });
  if (asTuple)
    return shape.map((_, d) =>
      extract(
        hits.map((h) => coordinate(h, d)),
        [hits.length],
      ),
    );
  return extract(
    hits.flatMap((h) => x.shape.map((_, d) => coordinate(h, d))),
    [hits.length, x.rank],
  );
}
