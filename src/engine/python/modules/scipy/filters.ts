// scipy.ndimage.convolve and correlate, as scipy 1.10 computes them: the weights (as float64) laid
// over every element, the input extended past its edges by `mode`, `origin` shifting the window,
// the result in the input's dtype (C casts: integers truncated toward zero). Hausdorff-erosion
// losses convolve squared errors with a cross kernel this way. Linear in the input, so the
// gradient flows (as autograd would read the math); integer and bool outputs cut it.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { runtimeError, unsupported, valueError } from '../../errors';
import { torchToNumpy } from '../../ops/numpyConversion';
import { type Boundary, extendEdges, kernelPosition, shiftedWindow } from '../../ops/stencil';
import { isTensor, toFloat, toInt } from '../../protocols';
import { type LogicalDtype, type TensorValue, isFloatDtype } from '../../tensor';
import { PyList, PyTuple, type PyValue } from '../../values';
import type { Bound } from '../common';
import { N, dtypeArg } from '../numpy/arguments';

/** scipy's _extend_mode_to_code, for filters: the grid-* spellings read the edges as their plain twins. */
const MODES: Record<string, Boundary> = {
  reflect: 'reflect',
  'grid-mirror': 'reflect',
  mirror: 'mirror',
  nearest: 'nearest',
  wrap: 'wrap',
  'grid-wrap': 'wrap',
  constant: 'constant',
  'grid-constant': 'constant',
};

export const FILTER_SPEC = ['input', 'weights', 'output=None', "mode='reflect'", 'cval=0.0', 'origin=0'];

/** A numpy array from whatever the filter is given (a torch tensor goes through its .numpy()). */
function arrayArg(site: CallSite, value: PyValue, op: string): TensorValue {
  return N(site, isTensor(value) && value.flavour === 'torch' ? torchToNumpy(site, value, op) : value);
}

/** scipy's _normalize_sequence: one origin for every axis, or one per axis. */
function originsOf(value: PyValue, rank: number): number[] {
  if (value instanceof PyList || value instanceof PyTuple) {
    if (value.items.length !== rank) throw runtimeError('sequence argument must have length equal to input rank');
    return value.items.map((v) => toInt(v, 'origin'));
  }
  return Array<number>(rank).fill(toInt(value, 'origin'));
}

/** The filter's result cast to the output dtype as scipy's C code stores it. */
function storeAs(t: tf.Tensor, dtype: LogicalDtype): tf.Tensor {
  if (isFloatDtype(dtype)) return t;
  if (dtype === 'bool') return tf.notEqual(t, 0);
  const truncated = tf.mul(tf.sign(t), tf.floor(tf.abs(t)));
  // A negative value stored in an unsigned byte wraps around, as the C cast does on every platform we know.
  const wrapped = dtype === 'uint8' ? tf.mod(tf.add(tf.mod(truncated, 256), 256), 256) : truncated;
  return tf.cast(wrapped, 'int32');
}

/** correlate (or convolve: the weights reversed, even-sized windows shifted as scipy shifts them). */
export function ndFilter(site: CallSite, a: Bound, convolution: boolean): TensorValue {
  const op = convolution ? 'convolve' : 'correlate';
  const input = arrayArg(site, a.input, op);
  const weights = arrayArg(site, a.weights, op);
  const mode = MODES[typeof a.mode === 'string' ? a.mode : ''];
  if (!mode) throw runtimeError('boundary mode not supported');
  if (isTensor(a.output)) throw unsupported(`scipy.ndimage.${op}(output=<array>)`);
  const dtype = dtypeArg(a.output) ?? input.dtype;
  const rank = input.rank;
  const origins = originsOf(a.origin, rank);
  const wshape = weights.shape;
  if (wshape.filter((d) => d > 0).length !== rank) throw runtimeError('filter weights array has incorrect shape.');
  if (wshape.length !== rank) throw unsupported(`scipy.ndimage.${op} with empty axes in the weights`);
  if (input.size === 0) throw unsupported(`scipy.ndimage.${op} of an empty array`);
  const centres = wshape.map((size, axis) => {
    const origin = convolution ? -origins[axis] - (size % 2 === 0 ? 1 : 0) : origins[axis];
    if (origin < -Math.floor(size / 2) || origin > Math.floor((size - 1) / 2))
      throw valueError(
        'Invalid origin; origin must satisfy -(weights.shape[k] // 2) <= origin[k] <= (weights.shape[k]-1) // 2',
      );
    return Math.floor(size / 2) + origin;
  });
  const cval = toFloat(a.cval, 'cval');
  const values = weights.tensor.dataSync();
  // A prediction-derived kernel keeps its gradient: its entries are read as tensors, not numbers.
  const differentiableWeights = weights.requiresGrad;
  // convolve reads the weights back to front: position k of the flipped kernel is weight n-1-k.
  const weightAt = (flat: number) => (convolution ? values.length - 1 - flat : flat);
  const terms = Array.from(values, (_, flat) => flat).filter(
    (flat) => differentiableWeights || values[weightAt(flat)] !== 0,
  );
  site.rt.guard.work(input.size * Math.max(terms.length, 1));
  const pads = wshape.map((size, axis): [number, number] => [centres[axis], size - 1 - centres[axis]]);
  const inputs = differentiableWeights ? [input, weights] : [input];
  return site.rt.apply(
    site,
    op,
    inputs,
    ([x, w]) => {
      const extended = extendEdges(isFloatDtype(input.dtype) ? x : tf.cast(x, 'float32'), pads, mode, cval);
      const flatWeights = w && tf.reshape(w, [-1]);
      let sum: tf.Tensor = tf.zeros(input.shape);
      for (const flat of terms) {
        const weightIndex = weightAt(flat);
        const weight = flatWeights ? tf.reshape(tf.slice(flatWeights, [weightIndex], [1]), []) : values[weightIndex];
        sum = tf.add(sum, tf.mul(shiftedWindow(extended, kernelPosition(flat, wshape), input.shape), weight));
      }
      return storeAs(sum, dtype);
    },
    {
      kind: { category: 'other', reason: `scipy.ndimage.${op}: a weighted sum over a sliding window` },
      dtype,
      gradient: isFloatDtype(dtype) ? 'flow' : 'cut',
      flavour: 'numpy',
    },
  );
}
