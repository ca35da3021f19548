// Filters that read a tensor through a kernel's window (scipy.ndimage's convolve, OpenCV's erode):
// the tensor extended past its edges as the filter reads it there (a constant, the nearest element,
// a reflection with or without the edge element repeated, the tensor repeated; scipy's modes and
// OpenCV's border types are spellings of these), and the shifted views, one per kernel position.
import * as tf from '@tensorflow/tfjs';

/**
 * `reflect`: d c b a | a b c d | d c b a (scipy 'reflect', OpenCV BORDER_REFLECT);
 * `mirror`: d c b | a b c d | c b a (scipy 'mirror', OpenCV BORDER_REFLECT_101);
 * `nearest`: a a | a b c d | d d (OpenCV BORDER_REPLICATE); `wrap`: the tensor repeated.
 */
export type Boundary = 'constant' | 'reflect' | 'mirror' | 'nearest' | 'wrap';

/** Which element of an axis of length `n` position `k` (any integer) reads. */
export function boundaryIndex(k: number, n: number, mode: Exclude<Boundary, 'constant'>): number {
  if (k >= 0 && k < n) return k;
  const mod = (a: number, m: number) => ((a % m) + m) % m;
  switch (mode) {
    case 'nearest':
      return k < 0 ? 0 : n - 1;
    case 'wrap':
      return mod(k, n);
    case 'reflect': {
      const t = mod(k, 2 * n);
      return t < n ? t : 2 * n - 1 - t;
    }
    case 'mirror': {
      if (n === 1) return 0;
      const t = mod(k, 2 * n - 2);
      return t < n ? t : 2 * n - 2 - t;
    }
  }
}

/**
 * The tensor extended by `pads[axis] = [before, after]` elements (raw TF.js, inside an op's compute).
 * Built from slices, reversals and a concatenation per axis, whose gradients every backend has
 * (a gather's needs UnsortedSegmentSum, which WebAssembly lacks). Extended axes must be non-empty.
 */
export function extendEdges(t: tf.Tensor, pads: [number, number][], mode: Boundary, cval = 0): tf.Tensor {
  if (mode === 'constant') return pads.some(([b, a]) => b || a) ? tf.pad(t, pads, cval) : t;
  let out = t;
  pads.forEach(([before, after], axis) => {
    if (!before && !after) return;
    const n = out.shape[axis];
    const indices = Array.from({ length: n + before + after }, (_, k) => boundaryIndex(k - before, n, mode));
    out = tf.concat(
      indexRuns(indices).map(({ start, length, step }) => {
        const first = step === 1 ? start : start - length + 1;
        const begin = out.shape.map((_, i) => (i === axis ? first : 0));
        const size = out.shape.map((d, i) => (i === axis ? length : d));
        const piece = tf.slice(out, begin, size);
        return step === 1 ? piece : tf.reverse(piece, axis);
      }),
      axis,
    );
  });
  return out;
}

/** Consecutive indices as runs that step by +1 or -1 (a run of one steps by +1). */
function indexRuns(indices: number[]): { start: number; length: number; step: 1 | -1 }[] {
  const runs: { start: number; length: number; step: 1 | -1 }[] = [];
  for (const index of indices) {
    const run = runs[runs.length - 1];
    const next = run && run.start + run.step * run.length;
    if (run && index === next) run.length++;
    else if (run && run.length === 1 && index === run.start - 1) [run.step, run.length] = [-1, 2];
    else runs.push({ start: index, length: 1, step: 1 });
  }
  return runs;
}

/** The position (one index per axis) of the element at C-order index `flat` of a kernel of this shape. */
export function kernelPosition(flat: number, shape: readonly number[]): number[] {
  const position = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    position[axis] = flat % shape[axis];
    flat = Math.floor(flat / shape[axis]);
  }
  return position;
}

/** What kernel position `position` reads for every output element: a window of the extended tensor. */
export const shiftedWindow = (extended: tf.Tensor, position: number[], outShape: number[]): tf.Tensor =>
  tf.slice(extended, position, outShape);
