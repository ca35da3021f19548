// Sliding-window max and average pooling over the trailing spatial axes (torch's max_pool1d/2d/3d
// and avg_pool1d/2d/3d, as soft-skeleton and boundary losses use them). Windows are laid out in
// JavaScript and read with a gather, so the gradient is the frameworks' on every backend: a max
// window passes it to its first maximal entry, an average window spreads it over its entries.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../callsite';
import { runtimeError } from '../errors';
import { type TensorValue, isFloatDtype } from '../tensor';
import { gatherAlong } from './indexing';

export interface PoolWindow {
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  ceilMode: boolean;
}

export interface AveragePooling {
  countIncludePad: boolean;
  divisorOverride?: number;
}

/** torch's output length of one pooled axis (a window in ceil mode must start inside the input or its left padding). */
function outputLength(size: number, kernel: number, stride: number, padding: number, dilation: number, ceil: boolean) {
  const span = size + 2 * padding - dilation * (kernel - 1) - 1;
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceil && (out - 1) * stride >= size + padding) out--;
  return out;
}

interface Layout {
  /** Shape of the result. */
  outShape: number[];
  /** Input positions of each output's window (flat, -1 outside the input), `windowSize` per output. */
  windows: Int32Array;
  windowSize: number;
  /** For averages: how many entries (padding included or not) each window divides by. */
  divisors: Float32Array;
}

/** Every output's window as flat input positions, over `planes` leading (batch, channel) planes. */
function layout(shape: number[], spatial: number, window: PoolWindow, average?: AveragePooling): Layout {
  const lead = shape.slice(0, shape.length - spatial);
  const inSizes = shape.slice(shape.length - spatial);
  const { kernel, stride, padding, dilation, ceilMode } = window;
  const outSizes = inSizes.map((n, i) => outputLength(n, kernel[i], stride[i], padding[i], dilation[i], ceilMode));
  if (outSizes.some((n) => n <= 0)) {
    throw runtimeError(
      `Given input size: (${inSizes.join('x')}). Calculated output size: (${outSizes.join('x')}). ` +
        'Output size is too small',
    );
  }
  const planes = lead.reduce((a, b) => a * b, 1);
  const planeIn = inSizes.reduce((a, b) => a * b, 1);
  const planeOut = outSizes.reduce((a, b) => a * b, 1);
  const windowSize = kernel.reduce((a, b) => a * b, 1);
  const windows = new Int32Array(planes * planeOut * windowSize);
  const divisors = new Float32Array(planes * planeOut);
  const inStrides = inSizes.map((_, i) => inSizes.slice(i + 1).reduce((a, b) => a * b, 1));
  const outStrides = outSizes.map((_, i) => outSizes.slice(i + 1).reduce((a, b) => a * b, 1));
  const kernelStrides = kernel.map((_, i) => kernel.slice(i + 1).reduce((a, b) => a * b, 1));
  for (let o = 0; o < planeOut; o++) {
    const corner = outSizes.map((_, d) => (Math.floor(o / outStrides[d]) % outSizes[d]) * stride[d] - padding[d]);
    // torch's divisor: the window clipped to the padded input (count_include_pad) or to the input
    let padded = 1;
    let inside = 1;
    corner.forEach((start, d) => {
      const end = Math.min(start + kernel[d], inSizes[d] + padding[d]);
      padded *= end - start;
      inside *= Math.min(end, inSizes[d]) - Math.max(start, 0);
    });
    const divisor = average?.divisorOverride ?? (average?.countIncludePad ? padded : inside);
    for (let k = 0; k < windowSize; k++) {
      let flat = 0;
      let valid = true;
      for (let d = 0; d < spatial; d++) {
        const at = corner[d] + (Math.floor(k / kernelStrides[d]) % kernel[d]) * dilation[d];
        if (at < 0 || at >= inSizes[d]) valid = false;
        flat += at * inStrides[d];
      }
      for (let p = 0; p < planes; p++) windows[(p * planeOut + o) * windowSize + k] = valid ? p * planeIn + flat : -1;
    }
    for (let p = 0; p < planes; p++) divisors[p * planeOut + o] = divisor;
  }
  return { outShape: [...lead, ...outSizes], windows, windowSize, divisors };
}

function checkWindow(x: TensorValue, spatial: number, window: PoolWindow, opName: string): void {
  if (x.rank !== spatial + 1 && x.rank !== spatial + 2) {
    throw runtimeError(
      `${opName}: Expected ${spatial + 1}D or ${spatial + 2}D input tensor, but got [${x.shape.join(', ')}]`,
    );
  }
  if (!isFloatDtype(x.dtype)) throw runtimeError(`"${opName}" not implemented for '${x.dtype}'`);
  window.kernel.forEach((k, i) => {
    if (k <= 0 || window.stride[i] <= 0 || window.dilation[i] <= 0)
      throw runtimeError(`${opName}: kernel size, stride and dilation should be greater than zero`);
    if (window.padding[i] < 0 || window.padding[i] * 2 > k)
      throw runtimeError(
        `${opName}: pad should be at most half of effective kernel size, but got pad=${window.padding[i]}`,
      );
  });
}

const poolKind = (reducer: 'max' | 'avg', x: TensorValue, kernel: number[]) =>
  ({
    category: 'pool',
    reducer,
    axes: kernel.map((_, i) => x.rank - kernel.length + i),
    window: kernel,
  }) as const;

/** Max pooling; with `withIndices`, also the int64 index of each maximum within its (N, C) plane. */
export function maxPool(
  site: CallSite,
  x: TensorValue,
  window: PoolWindow,
  opName: string,
  withIndices = false,
): TensorValue | [TensorValue, TensorValue] {
  const spatial = window.kernel.length;
  checkWindow(x, spatial, window, opName);
  const { outShape, windows, windowSize } = layout(x.shape, spatial, window);
  site.rt.guard.checkTensorElements(outShape, opName);
  const count = windows.length / windowSize;
  const values = x.tensor.dataSync();
  // torch takes the first maximum of each window (NaN wins)
  const winners = new Int32Array(count);
  for (let o = 0; o < count; o++) {
    let best = -1;
    for (let k = 0; k < windowSize; k++) {
      const at = windows[o * windowSize + k];
      if (at < 0) continue;
      if (best < 0 || values[at] > values[best] || Number.isNaN(values[at])) best = at;
    }
    winners[o] = best;
  }
  const kind = poolKind('max', x, window.kernel);
  const pooled = site.rt.apply(
    site,
    opName,
    [x],
    ([t]) => tf.reshape(gatherAlong(tf.reshape(t, [-1]), winners, 0), outShape),
    { kind, dtype: x.dtype },
  );
  if (!withIndices) return pooled;
  const planeIn = x.shape.slice(x.rank - spatial).reduce((a, b) => a * b, 1);
  const indices = site.rt.apply(
    site,
    `${opName}_indices`,
    [x],
    () =>
      tf.tensor(
        Int32Array.from(winners, (w) => w % planeIn),
        outShape,
        'int32',
      ),
    { kind, dtype: 'int64', gradient: 'cut' },
  );
  return [pooled, indices];
}

/** Average pooling (torch's divisor rules: count_include_pad, divisor_override). */
export function avgPool(
  site: CallSite,
  x: TensorValue,
  window: PoolWindow,
  average: AveragePooling,
  opName: string,
): TensorValue {
  const spatial = window.kernel.length;
  checkWindow(x, spatial, window, opName);
  const { outShape, windows, windowSize, divisors } = layout(x.shape, spatial, window, average);
  site.rt.guard.checkTensorElements([windows.length], opName);
  // positions outside the input read an appended zero
  const positions = Int32Array.from(windows, (w) => (w < 0 ? x.size : w));
  return site.rt.apply(
    site,
    opName,
    [x],
    ([t]) => {
      const flat = tf.concat([tf.reshape(t, [-1]), tf.zeros([1])]);
      const gathered = tf.reshape(gatherAlong(flat, positions, 0), [-1, windowSize]);
      return tf.reshape(tf.div(tf.sum(gathered, 1), tf.tensor1d(divisors)), outShape);
    },
    { kind: poolKind('avg', x, window.kernel), dtype: x.dtype },
  );
}
