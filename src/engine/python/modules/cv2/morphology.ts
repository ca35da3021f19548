// cv2.erode, cv2.dilate and cv2.morphologyEx on 2-D arrays (and (H, W, C) images, channel by
// channel), as OpenCV's morphOp runs them: the minimum (maximum) over the kernel's non-zero
// elements placed at the anchor, the kernel not reflected; a missing kernel is a 3×3 rectangle; an
// all-ones kernel with iterations > 1 becomes one larger rectangle; pixels past the edge never win
// by default (the border is the dtype's largest value for erode, smallest for dilate). Min and max
// pass the gradient to the winning element, as max pooling does; integer results cut it.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { pyError, unsupported } from '../../errors';
import { type Boundary, extendEdges, kernelPosition, shiftedWindow } from '../../ops/stencil';
import { isTensor, toFloat, toInt } from '../../protocols';
import { type LogicalDtype, type TensorValue, isFloatDtype } from '../../tensor';
import type { PyValue } from '../../values';
import type { Bound } from '../common';
import { MORPH_RECT, normalizeAnchor, pairArg, structuringElement } from './structuringElement';

export const MORPH_OPS = { ERODE: 0, DILATE: 1, OPEN: 2, CLOSE: 3, GRADIENT: 4, TOPHAT: 5, BLACKHAT: 6, HITMISS: 7 };
export const BORDER_TYPES = { CONSTANT: 0, REPLICATE: 1, REFLECT: 2, WRAP: 3, REFLECT_101: 4, TRANSPARENT: 5 };
const BOUNDARIES: Record<number, Boundary> = { 0: 'constant', 1: 'nearest', 2: 'reflect', 4: 'mirror' };

/**
 * The depths OpenCV's morphology filters implement (createMorphologyFilter asserts them), with the
 * ranges that saturate a constant border and give the default one (float64's is stored as float32).
 */
const RANGES: Partial<Record<LogicalDtype, [number, number]>> = {
  uint8: [0, 255],
  int16: [-32768, 32767],
  float32: [-3.4028234663852886e38, 3.4028234663852886e38],
  float64: [-Number.MAX_VALUE, Number.MAX_VALUE],
};

export const MORPH_SPEC = [
  'src',
  'kernel',
  'dst=None',
  'anchor=None',
  'iterations=1',
  'borderType=0',
  'borderValue=None',
];
export const MORPHOLOGY_EX_SPEC = ['src', 'op', ...MORPH_SPEC.slice(1)];

interface Kernel {
  width: number;
  height: number;
  /** C-order indices of the non-zero elements. */
  on: number[];
}

interface Settings {
  fn: string;
  anchor: { x: number; y: number };
  iterations: number;
  boundary: Boundary;
  /** The constant border's value; undefined: OpenCV's default (never wins). */
  borderValue?: number;
}

/** An image argument: a numpy array of a depth the filters implement, 2-D or (H, W, C). */
function imageArg(value: PyValue, fn: string): TensorValue {
  if (!isTensor(value) || value.flavour !== 'numpy')
    throw pyError('cv2.error', `OpenCV(4.8.0) :-1: error: (-5:Bad argument) in function '${fn}'`);
  if (value.rank !== 2 && value.rank !== 3) throw unsupported(`cv2.${fn} of a ${value.rank}-D array`);
  if (!RANGES[value.dtype]) throw unsupported(`cv2.${fn} of a ${value.dtype} array`);
  return value;
}

/** The kernel's size and non-zero elements (a 1-D array is a column, as cv2 reads it); null when absent. */
function kernelArg(value: PyValue, fn: string): Kernel | null {
  if (value === null) return null;
  if (!isTensor(value) || value.rank > 2)
    throw pyError('cv2.error', `OpenCV(4.8.0) :-1: error: (-5:Bad argument) in function '${fn}'`);
  if (value.size === 0) return null;
  const [height, width] = value.rank === 2 ? value.shape : [value.shape[0] ?? 1, 1];
  const data = value.tensor.dataSync();
  const on = Array.from(data, (v, i) => (v !== 0 ? i : -1)).filter((i) => i >= 0);
  return { width, height, on };
}

function rectangle(width: number, height: number): Kernel {
  const element = structuringElement(MORPH_RECT, width, height, { x: 0, y: 0 });
  return { width, height, on: Array.from(element, (_, i) => i) };
}

/** One erosion (min) or dilation (max) pass. */
function pass(site: CallSite, x: TensorValue, kernel: Kernel, s: Settings, erode: boolean): TensorValue {
  if (!kernel.on.length) throw unsupported(`cv2.${s.fn} with a kernel without non-zero elements`);
  const [low, high] = RANGES[x.dtype]!;
  const cval = s.borderValue === undefined ? (erode ? high : low) : Math.min(Math.max(s.borderValue, low), high);
  const pads: [number, number][] = [
    [s.anchor.y, kernel.height - 1 - s.anchor.y],
    [s.anchor.x, kernel.width - 1 - s.anchor.x],
  ];
  if (x.rank === 3) pads.push([0, 0]);
  site.rt.guard.work(x.size * kernel.on.length);
  return site.rt.apply(
    site,
    erode ? 'erode' : 'dilate',
    [x],
    ([t]) => {
      const extended = extendEdges(isFloatDtype(x.dtype) ? t : tf.cast(t, 'float32'), pads, s.boundary, cval);
      const windows = kernel.on.map((flat) => {
        const [row, column] = kernelPosition(flat, [kernel.height, kernel.width]);
        return shiftedWindow(extended, x.rank === 3 ? [row, column, 0] : [row, column], x.shape);
      });
      const combined = windows.reduce((acc, w) => (erode ? tf.minimum(acc, w) : tf.maximum(acc, w)));
      return isFloatDtype(x.dtype) ? combined : tf.cast(combined, 'int32');
    },
    {
      kind: {
        category: 'other',
        reason: `cv2.${erode ? 'erode' : 'dilate'}: a sliding-window ${erode ? 'min' : 'max'}`,
      },
      dtype: x.dtype,
      gradient: isFloatDtype(x.dtype) ? 'flow' : 'cut',
      flavour: 'numpy',
    },
  );
}

const copy = (site: CallSite, x: TensorValue) =>
  site.rt.apply(site, 'copy', [x], ([t]) => tf.clone(t), { kind: { category: 'copy' }, dtype: x.dtype });

/** morphOp: the kernel and iteration rewrites OpenCV makes before filtering, then the passes. */
function morph(site: CallSite, x: TensorValue, kernelValue: PyValue, a: Bound, erode: boolean, fn: string) {
  let kernel = kernelArg(kernelValue, fn);
  const size = kernel ? [kernel.width, kernel.height] : [3, 3];
  let anchor = normalizeAnchor(a.anchor === null ? [-1, -1] : pairArg(a.anchor, 'anchor'), size[0], size[1], fn);
  let iterations = toInt(a.iterations, 'iterations');
  if (iterations === 0 || (kernel && kernel.width * kernel.height === 1)) return copy(site, x);
  if (!kernel) {
    kernel = rectangle(1 + iterations * 2, 1 + iterations * 2);
    anchor = { x: iterations, y: iterations };
    iterations = 1;
  } else if (iterations > 1 && kernel.on.length === kernel.width * kernel.height) {
    anchor = { x: anchor.x * iterations, y: anchor.y * iterations };
    kernel = rectangle(
      kernel.width + (iterations - 1) * (kernel.width - 1),
      kernel.height + (iterations - 1) * (kernel.height - 1),
    );
    iterations = 1;
  }
  const settings = { fn, anchor, iterations, ...borderArgs(a, x, fn) };
  let result = pass(site, x, kernel, settings, erode);
  for (let i = 1; i < iterations; i++) result = pass(site, result, kernel, settings, erode);
  return result;
}

function borderArgs(a: Bound, x: TensorValue, fn: string): { boundary: Boundary; borderValue?: number } {
  const type = toInt(a.borderType, 'borderType');
  const boundary = BOUNDARIES[type];
  if (!boundary) throw unsupported(`cv2.${fn} with borderType=${type}`);
  if (a.borderValue === null || boundary !== 'constant') return { boundary };
  if (x.rank === 3) throw unsupported(`cv2.${fn} of a multi-channel image with a borderValue`);
  return { boundary, borderValue: toFloat(a.borderValue, 'borderValue') };
}

const noDst = (a: Bound, fn: string) => {
  if (a.dst !== null) throw unsupported(`cv2.${fn}(dst=...)`);
};

export function erodeOrDilate(site: CallSite, a: Bound, erode: boolean): TensorValue {
  const fn = erode ? 'erode' : 'dilate';
  noDst(a, fn);
  return morph(site, imageArg(a.src, fn), a.kernel, a, erode, fn);
}

/** cv::subtract: saturating for integer images. */
function subtract(site: CallSite, x: TensorValue, y: TensorValue): TensorValue {
  const [low, high] = RANGES[x.dtype]!;
  return site.rt.apply(site, 'subtract', [x, y], ([p, q]) => tf.clipByValue(tf.sub(p, q), low, high), {
    kind: { category: 'elementwise', operator: 'sub' },
    dtype: x.dtype,
    gradient: isFloatDtype(x.dtype) ? 'flow' : 'cut',
    flavour: 'numpy',
  });
}

export function morphologyEx(site: CallSite, a: Bound): TensorValue {
  const fn = 'morphologyEx';
  noDst(a, fn);
  const x = imageArg(a.src, fn);
  const op = toInt(a.op, 'op');
  const run = (input: TensorValue, erode: boolean) => morph(site, input, a.kernel, a, erode, fn);
  switch (op) {
    case MORPH_OPS.ERODE:
      return run(x, true);
    case MORPH_OPS.DILATE:
      return run(x, false);
    case MORPH_OPS.OPEN:
      return run(run(x, true), false);
    case MORPH_OPS.CLOSE:
      return run(run(x, false), true);
    case MORPH_OPS.GRADIENT:
      return subtract(site, run(x, false), run(x, true));
    case MORPH_OPS.TOPHAT:
      return subtract(site, x, run(run(x, true), false));
    case MORPH_OPS.BLACKHAT:
      return subtract(site, run(run(x, false), true), x);
    default:
      throw unsupported(`cv2.morphologyEx with op=${op}`);
  }
}
