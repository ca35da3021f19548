// Which logical axis (batch, class, a spatial axis) each dimension of a traced tensor holds,
// followed from the loss's inputs through the ops of the trace. Two mistakes show here and in no
// shape: a reshape that keeps the element order while the code means to move axes (one-hot labels
// (N, H, W, C) viewed as (N, C, H, W)), and a broadcast that pairs the batch axis of one operand
// with another axis of the other ((N, 1, H, W) * (N, H, W) is (N, N, H, W)).
import type { Contract } from '../../contract';
import type { KindOf } from '../../python/opKinds';
import type { TensorInfo, TraceEntry } from '../../python/trace';
import { syntheticInputs } from '../synthetic';
import { predictionAxes } from './axes';
import { onlyPrediction, onlyTarget } from './origin';

/** A logical axis: the batch, the classes, spatial axis k (0: D or H), or one the loss made. */
export type LogicalAxis = 'batch' | 'class' | `spatial${number}` | 'other';

/** A logical axis as a dimension holds it: whole (or sliced), or a factor a reshape split off (`part`). */
export interface Atom {
  axis: LogicalAxis;
  size: number;
  part: boolean;
}

/** The atoms a dimension holds, outermost first ([] for a size-1 dimension); null: not known. */
export type Dim = Atom[] | null;

/** A reshape that cuts a logical axis and packs the piece with another axis: the elements are scrambled. */
export interface Reinterpretation {
  entry: TraceEntry;
  input: Dim[];
  output: Dim[];
}

/** A broadcast that puts the batch axis in two dimensions: each image is combined with every other one. */
export interface CrossBatch {
  entry: TraceEntry;
  /** The two output axes holding the batch, and the operand each came from. */
  axes: { axis: number; operand: number }[];
}

export interface Provenance {
  /** The dimensions of each entry's output, by trace index (undefined: not followed). */
  dims: (Dim[] | undefined)[];
  /** The dimensions of each entry's inputs, by trace index. */
  inputs: (Dim[] | undefined)[][];
  reinterpretations: Reinterpretation[];
  crossBatch: CrossBatch[];
}

const atom = (axis: LogicalAxis, size: number, part = false): Atom => ({ axis, size, part });
const dimOf = (axis: LogicalAxis, size: number): Dim => (size === 1 ? [] : [atom(axis, size)]);

/** The dimensions of the prediction and of the labels as the contract shapes them. */
function inputDims(contract: Contract): { prediction: Dim[]; target: Dim[]; shapes: number[][] } {
  const inputs = syntheticInputs(contract, 'random', {});
  const prediction = inputs.prediction as { shape: number[] };
  const target = inputs.target as { shape: number[] };
  const shape = prediction.shape;
  const axes = predictionAxes(contract);
  let predictionDims: Dim[];
  if (contract.flattened) {
    const pixels = ['batch', 'spatial0', 'spatial1', 'spatial2'] as const;
    // (pixels, classes): the pixel axis holds the batch and the spatial axes, whole.
    const spatial = syntheticInputs({ ...contract, flattened: false }, 'random', {}).prediction as { shape: number[] };
    const sizes = spatial.shape.slice(0, -1);
    predictionDims = [sizes.map((s, i) => atom(pixels[i], s)).filter((a) => a.size > 1), dimOf('class', shape[1])];
  } else {
    predictionDims = shape.map((size, i) =>
      i === axes.batch
        ? dimOf('batch', size)
        : i === axes.classAxis
          ? dimOf('class', size)
          : dimOf(`spatial${axes.spatial.indexOf(i)}`, size),
    );
  }
  let targetDims: Dim[];
  if (target.shape.length === shape.length) {
    targetDims = predictionDims.map((d, i) => (target.shape[i] === shape[i] ? d : target.shape[i] === 1 ? [] : null));
  } else if (target.shape.length === shape.length - 1 && !contract.flattened) {
    targetDims = predictionDims.filter((_, i) => i !== axes.classAxis);
  } else targetDims = [predictionDims[0]];
  return { prediction: predictionDims, target: targetDims, shapes: [shape, target.shape] };
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** Dimensions that keep the input's where the size is unchanged (null elsewhere). */
function keepWhereSame(input: Dim[], from: readonly number[], to: readonly number[]): Dim[] {
  return to.map((size, i) => (size === 1 ? [] : from[i] === size && from.length === to.length ? input[i] : null));
}

/** A dimension whose only atom got a new size (a slice of it, a split along it); null when it held several. */
function resized(dim: Dim, size: number): Dim {
  if (size === 1) return [];
  if (!dim || dim.length !== 1) return null;
  return [{ ...dim[0], size }];
}

/**
 * Broadcasting (right-aligned): each output dimension takes the dimension of an operand that has
 * its size there. A batch axis that lands in two output dimensions, from different operands, is a
 * cross-batch pairing.
 */
function broadcast(entry: TraceEntry, inputs: (Dim[] | undefined)[]): { dims: Dim[]; crossBatch?: CrossBatch } {
  const out = entry.output.shape;
  const rank = out.length;
  const dims: Dim[] = [];
  const batchFrom: { axis: number; operand: number }[] = [];
  for (let p = 0; p < rank; p++) {
    if (out[p] === 1) {
      dims.push([]);
      continue;
    }
    let chosen: Dim = null;
    for (let k = 0; k < entry.inputs.length; k++) {
      const shape = entry.inputs[k].shape;
      const q = p - (rank - shape.length);
      if (q < 0 || shape[q] !== out[p]) continue;
      const dim = inputs[k]?.[q] ?? null;
      chosen ??= dim;
      if (dim?.some((a) => a.axis === 'batch' && !a.part) && !batchFrom.some((b) => b.operand === k && b.axis === p))
        batchFrom.push({ axis: p, operand: k });
    }
    dims.push(chosen);
  }
  const operands = new Set(batchFrom.map((b) => b.operand));
  const positions = new Set(batchFrom.map((b) => b.axis));
  const crossBatch = operands.size > 1 && positions.size > 1 ? { entry, axes: pickPair(batchFrom) } : undefined;
  return { dims, crossBatch };
}

/** Two batch placements from different operands on different axes. */
function pickPair(from: { axis: number; operand: number }[]): { axis: number; operand: number }[] {
  for (const a of from) for (const b of from) if (a.operand !== b.operand && a.axis !== b.axis) return [a, b];
  return from.slice(0, 2);
}

/**
 * A reshape in row-major order. Each atom of the input covers a range of element strides, each
 * output dimension another: an output dimension holds the atoms whose ranges it overlaps (a
 * `part` where it covers only some of one). One that is neither inside a single atom nor made of
 * whole atoms packs a piece of an axis with another axis: the reshape scrambles them.
 */
function reshape(input: Dim[], from: readonly number[], to: readonly number[]): { dims: Dim[]; scrambled: boolean } {
  const atoms: Atom[] = [];
  input.forEach((dim, i) => {
    if (from[i] === 1) return;
    if (dim === null) atoms.push(atom('other', from[i]));
    else atoms.push(...dim.filter((a) => a.size > 1));
  });
  // Strides from the innermost atom outwards: atom k covers [low, low * size).
  const ranges: { atom: Atom; low: number; high: number }[] = [];
  let stride = 1;
  for (let k = atoms.length - 1; k >= 0; k--) {
    ranges.unshift({ atom: atoms[k], low: stride, high: stride * atoms[k].size });
    stride *= atoms[k].size;
  }
  const boundaries = new Set(ranges.flatMap((r) => [r.low, r.high]));
  const dims: Dim[] = [];
  let scrambled = false;
  let high = to.reduce((a, b) => a * b, 1);
  for (const size of to) {
    const low = high / size;
    if (size === 1) dims.push([]);
    else {
      const overlapping = ranges.filter((r) => r.low < high && low < r.high);
      dims.push(
        overlapping.map((r) => {
          const covered = Math.min(high, r.high) / Math.max(low, r.low);
          const part = !(r.low >= low && r.high <= high) || r.atom.part;
          return { axis: r.atom.axis, size: Math.round(covered), part };
        }),
      );
      const aligned = boundaries.has(low) && boundaries.has(high);
      if (overlapping.length > 1 && !aligned) scrambled = true;
    }
    high = low;
  }
  return { dims, scrambled };
}

/**
 * The class and batch axes the reshape does not keep intact: whole, in a dimension of their own or
 * merged with other whole axes (a flattened (N·H·W, C) keeps both). Pieces of spatial axes among
 * themselves are not counted.
 */
export function brokenAxes(input: Dim[], output: Dim[]): ('class' | 'batch')[] {
  const broken: ('class' | 'batch')[] = [];
  for (const axis of ['class', 'batch'] as const) {
    const original = input.flatMap((d) => d ?? []).find((a) => a.axis === axis && !a.part && a.size > 1);
    if (!original) continue;
    const intact = output.some(
      (d) => d !== null && !d.some((a) => a.part) && d.some((a) => a.axis === axis && a.size === original.size),
    );
    if (!intact) broken.push(axis);
  }
  return broken;
}

/** Dimensions of the input that a reduction keeps (size 1 with keepdims). */
function reduced(input: Dim[], axes: number[] | null, keepdims: boolean): Dim[] {
  const all = axes === null;
  return input.flatMap((d, i) => (all || axes!.includes(i) ? (keepdims ? [[]] : []) : [d]));
}

/** einsum: each output letter takes the dimension its first operand gives it. */
function einsum(equation: string, inputs: (Dim[] | undefined)[]): Dim[] | undefined {
  const match = /^([a-zA-Z,]+)->([a-zA-Z]*)$/.exec(equation.replace(/\s+/g, ''));
  if (!match) return undefined;
  const letters = new Map<string, Dim>();
  match[1].split(',').forEach((subscripts, k) => {
    [...subscripts].forEach((letter, i) => {
      const dim = inputs[k]?.[i] ?? null;
      if (!letters.has(letter) || letters.get(letter) === null) letters.set(letter, dim);
    });
  });
  return [...match[2]].map((letter) => letters.get(letter) ?? null);
}

/** The output dimensions of one entry from its inputs' (undefined: not followed further). */
function follow(
  entry: TraceEntry,
  inputs: (Dim[] | undefined)[],
): { dims?: Dim[]; reinterpreted?: boolean; crossBatch?: CrossBatch } {
  const { kind } = entry;
  const [first] = inputs;
  const inShape = entry.inputs[0]?.shape ?? [];
  const outShape = entry.output.shape;
  switch (kind.category) {
    case 'elementwise':
    case 'comparison':
    case 'logical':
    case 'select':
    case 'clip':
      return broadcast(entry, inputs);
    case 'unary':
    case 'rounding':
    case 'predicate':
    case 'activation':
    case 'cast':
    case 'copy':
    case 'detach':
    case 'scan':
    case 'sort':
    case 'reverse':
    case 'normalization':
      return { dims: first && sameShape(inShape, outShape) ? first : undefined };
    case 'reduction':
      return { dims: first && reduced(first, kind.axes, kind.keepdims) };
    case 'argreduction':
      return { dims: first && reduced(first, kind.axis === null ? null : [kind.axis], kind.keepdims) };
    case 'one_hot': {
      if (!first) return {};
      const dims = [...first];
      dims.splice(kind.axis, 0, dimOf('class', kind.depth));
      return { dims: dims.length === outShape.length ? dims : undefined };
    }
    case 'transpose':
      if (!first || kind.newAxes) return {};
      return { dims: kind.permutation.map((a) => first[a] ?? null) };
    case 'reshape': {
      if (!first) return {};
      const { dims, scrambled } = reshape(first, inShape, outShape);
      return { dims, reinterpreted: scrambled && brokenAxes(first, dims).length > 0 };
    }
    case 'indexing':
      return { dims: first && indexed(kind, first, inShape, outShape) };
    case 'split': {
      if (!first) return {};
      const along = kind.method === 'unstack' ? first.filter((_, i) => i !== kind.axis) : [...first];
      if (kind.method === 'split') along[kind.axis] = resized(first[kind.axis], outShape[kind.axis]);
      return { dims: along.length === outShape.length ? along : undefined };
    }
    case 'join':
      if (!first || kind.method === 'stack') return {};
      return {
        dims: first.map((d, i) => (i === kind.axis ? resized(d, outShape[i]) : outShape[i] === inShape[i] ? d : null)),
      };
    case 'replicate':
    case 'pad':
    case 'pool':
    case 'resample':
      return { dims: first && keepWhereSame(first, inShape, outShape) };
    case 'contraction':
      return { dims: kind.method === 'einsum' && kind.equation ? einsum(kind.equation, inputs) : undefined };
    default:
      return {};
  }
}

/** A subscript: the axes it keeps (sliced ones resized), those it adds; others when unknown. */
function indexed(
  kind: KindOf<'indexing'>,
  input: Dim[],
  inShape: readonly number[],
  outShape: readonly number[],
): Dim[] | undefined {
  if (kind.axes && kind.axes.length === outShape.length) {
    return kind.axes.map((a, i) =>
      a < 0 ? (outShape[i] === 1 ? [] : null) : outShape[i] === inShape[a] ? input[a] : resized(input[a], outShape[i]),
    );
  }
  return sameShape(inShape, outShape) ? input : undefined;
}

/** Follows the logical axes through the trace of an evaluation under `contract`. */
export function axisProvenance(trace: readonly TraceEntry[], contract: Contract): Provenance {
  const { prediction, target, shapes } = inputDims(contract);
  const dims: (Dim[] | undefined)[] = [];
  const inputDimsOf: (Dim[] | undefined)[][] = [];
  const reinterpretations: Reinterpretation[] = [];
  const crossBatch: CrossBatch[] = [];
  const fromInput = (info: TensorInfo): Dim[] | undefined => {
    if (onlyPrediction(info) && sameShape(info.shape, shapes[0])) return prediction;
    if (onlyTarget(info) && sameShape(info.shape, shapes[1])) return target;
    // A constant (class weights, a smoothing term): no logical axis, compatible with any.
    if (info.origin === 0) return info.shape.map((d) => (d === 1 ? [] : null));
    return undefined;
  };
  for (const entry of trace) {
    const inputs = entry.inputs.map((info, i) => {
      const producer = entry.inputProducers[i];
      return producer >= 0 ? dims[producer] : fromInput(info);
    });
    inputDimsOf[entry.index] = inputs;
    const result = follow(entry, inputs);
    const output = result.dims && result.dims.length === entry.output.shape.length ? result.dims : undefined;
    dims[entry.index] = output;
    if (result.reinterpreted && inputs[0] && output) {
      reinterpretations.push({ entry, input: inputs[0], output });
    }
    if (result.crossBatch) crossBatch.push(result.crossBatch);
  }
  return { dims, inputs: inputDimsOf, reinterpretations, crossBatch };
}

/** A dimension as a short name: N, C, H, W (D for 3-D), a product (H·W), a piece of one (part of H). */
export function dimName(dim: Dim, spatialDims: number): string {
  if (dim === null) return '?';
  if (!dim.length) return '1';
  const names: Record<string, string> = { batch: 'N', class: 'C', other: '·' };
  const spatial = spatialDims === 3 ? ['D', 'H', 'W'] : ['H', 'W'];
  const name = (a: Atom) => names[a.axis] ?? spatial[Number(a.axis.slice('spatial'.length))] ?? 'S';
  return dim.map((a) => (a.part ? `part of ${name(a)}` : name(a))).join('×');
}
