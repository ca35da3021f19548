// Resampling the trailing spatial axes to new sizes (torch's F.interpolate / nn.Upsample,
// tf.image.resize), as deep-supervision and multi-scale losses resize labels or heads. Each axis is
// resampled on its own (nearest or linear are separable): source positions are computed in
// JavaScript by the framework's formula and read with a gather, so values and gradients are the
// framework's on every backend.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../callsite';
import { runtimeError } from '../errors';
import { type TensorValue, isFloatDtype } from '../tensor';
import { gatherAlong } from './indexing';

/** `nearest`: floor(dst·scale) (torch 'nearest', TF 1); `nearest-exact`: floor((dst+½)·scale) (TF 2). */
export type ResampleMode = 'nearest' | 'nearest-exact' | 'linear';

export interface Resampling {
  mode: ResampleMode;
  /** Output size per trailing spatial axis. */
  sizes: number[];
  /** Linear only: the corner pixels' centres line up (align_corners=True); else half-pixel centres. */
  alignCorners: boolean;
  /** Per axis, the input/output scale a caller's scale factor fixes (1 / scale_factor); else in/out. */
  scales?: (number | undefined)[];
}

interface AxisSamples {
  lower: Int32Array;
  upper: Int32Array;
  /** Weight of `upper` (linear); absent for nearest. */
  weights?: Float32Array;
}

function axisSamples(input: number, output: number, resampling: Resampling, given?: number): AxisSamples {
  const { mode, alignCorners } = resampling;
  const lower = new Int32Array(output);
  const upper = new Int32Array(output);
  if (mode !== 'linear') {
    const scale = given ?? input / output;
    const shift = mode === 'nearest-exact' ? 0.5 : 0;
    for (let o = 0; o < output; o++) lower[o] = Math.min(Math.floor((o + shift) * scale), input - 1);
    return { lower, upper };
  }
  // torch's area_pixel_compute_source_index
  const scale = alignCorners ? (output > 1 ? (input - 1) / (output - 1) : 0) : (given ?? input / output);
  const weights = new Float32Array(output);
  for (let o = 0; o < output; o++) {
    const source = alignCorners ? scale * o : Math.max(scale * (o + 0.5) - 0.5, 0);
    const index = Math.min(Math.floor(source), input - 1);
    lower[o] = index;
    upper[o] = index < input - 1 ? index + 1 : index;
    weights[o] = source - index;
  }
  return { lower, upper, weights };
}

/** Resamples the last `sizes.length` axes of x; the leading (batch, channel) axes are kept. */
export function resample(site: CallSite, x: TensorValue, resampling: Resampling, opName: string): TensorValue {
  const { sizes } = resampling;
  const first = x.rank - sizes.length;
  if (first < 0) throw runtimeError(`${opName}: input of rank ${x.rank} has fewer than ${sizes.length} spatial axes`);
  if (sizes.some((s) => !Number.isInteger(s) || s <= 0))
    throw runtimeError(`${opName}: output size must be positive, got (${sizes.join(', ')})`);
  if (!isFloatDtype(x.dtype)) throw runtimeError(`"${opName}" not implemented for '${x.dtype}'`);
  const outShape = [...x.shape.slice(0, first), ...sizes];
  site.rt.guard.checkTensorElements(outShape, opName);
  const samples = sizes.map((size, i) => axisSamples(x.shape[first + i], size, resampling, resampling.scales?.[i]));
  const axes = sizes.map((_, i) => first + i);
  const kind = { category: 'resample', mode: resampling.mode === 'linear' ? 'linear' : 'nearest', axes } as const;
  return site.rt.apply(
    site,
    opName,
    [x],
    ([t]) =>
      samples.reduce((current, { lower, upper, weights }, i) => {
        const axis = first + i;
        const low = gatherAlong(current, lower, axis);
        if (!weights) return low;
        const shape = current.shape.map((_, d) => (d === axis ? weights.length : 1));
        const w = tf.tensor(weights, shape);
        const high = gatherAlong(current, upper, axis);
        return tf.add(tf.mul(low, tf.sub(1, w)), tf.mul(high, w));
      }, t),
    { kind, dtype: x.dtype },
  );
}
