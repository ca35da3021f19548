// F.conv1d/conv2d with torch's arguments: (N, C, *spatial) inputs (or unbatched (C, *spatial)),
// weights (out, in / groups, *kernel), stride, padding (ints, 'valid', 'same'), dilation, groups,
// bias. Losses convolve labels or probabilities with fixed kernels (a disk from cv2, a Sobel
// filter, a box blur); the gradient flows to the input as in torch. Cross-correlation, like torch.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { runtimeError } from '../../errors';
import { toAxes } from '../../protocols';
import { type TensorValue, isFloatDtype } from '../../tensor';
import type { PyValue } from '../../values';
import { type Bound, def, intArg } from '../common';
import { T } from './arguments';
import { functional } from './functional';

interface Geometry {
  stride: number[];
  dilation: number[];
  /** Zeros before and after each spatial axis. */
  pads: [number, number][];
}

function perAxis(value: PyValue, spatial: number, what: string): number[] {
  const values = toAxes(value, what) ?? [];
  if (values.length === 1) return Array<number>(spatial).fill(values[0]);
  if (values.length !== spatial)
    throw runtimeError(`expected ${what} to be a single integer value or a list of ${spatial} values`);
  return values;
}

function geometry(a: Bound, kernel: number[]): Geometry {
  const spatial = kernel.length;
  const stride = perAxis(a.stride, spatial, 'stride');
  const dilation = perAxis(a.dilation, spatial, 'dilation');
  if (a.padding === 'valid') return { stride, dilation, pads: kernel.map(() => [0, 0]) };
  if (a.padding === 'same') {
    if (stride.some((s) => s !== 1)) throw runtimeError("padding='same' is not supported for strided convolutions");
    // torch pads the extra element of an even window at the end.
    const pads = kernel.map((k, i): [number, number] => {
      const total = dilation[i] * (k - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
    return { stride, dilation, pads };
  }
  if (typeof a.padding === 'string')
    throw runtimeError(`Invalid padding string '${a.padding}', should be one of ['valid', 'same']`);
  const padding = perAxis(a.padding, spatial, 'padding');
  return { stride, dilation, pads: padding.map((p): [number, number] => [p, p]) };
}

/**
 * A (*kernel, in, out) filter with its taps `dilation` apart and zeros between them: TF.js has no
 * gradient for dilated convolutions, and a dilated filter is an ordinary one with holes.
 */
function dilated(w: tf.Tensor, dilation: number[]): tf.Tensor {
  let out = w;
  dilation.forEach((d, axis) => {
    if (d === 1) return;
    const taps = out.shape[axis];
    const spread = tf.concat(
      [tf.expandDims(out, axis + 1), tf.zeros([...out.shape.slice(0, axis + 1), d - 1, ...out.shape.slice(axis + 1)])],
      axis + 1,
    );
    const merged = tf.reshape(spread, [...out.shape.slice(0, axis), taps * d, ...out.shape.slice(axis + 1)]);
    out = tf.slice(
      merged,
      Array(out.rank).fill(0),
      merged.shape.map((n, i) => (i === axis ? (taps - 1) * d + 1 : n)),
    );
  });
  return out;
}

/** One group's 2-D convolution on channels-last data (TF.js): zero padding first, then a 'valid' window. */
function channelsLast(x: tf.Tensor, w: tf.Tensor, g: Geometry): tf.Tensor {
  const padded = tf.pad(x, [[0, 0], ...g.pads, [0, 0]]);
  return tf.conv2d(
    padded as tf.Tensor4D,
    dilated(w, g.dilation) as tf.Tensor4D,
    g.stride as [number, number],
    'valid',
    'NHWC',
  );
}

function convolve(site: CallSite, a: Bound, spatial: number, name: string): TensorValue {
  const x = T(site, a.input);
  const weight = T(site, a.weight);
  const bias = a.bias === null ? undefined : T(site, a.bias);
  const groups = intArg(a.groups, 'groups');
  const unbatched = x.rank === spatial + 1;
  if (x.rank !== spatial + 2 && !unbatched)
    throw runtimeError(
      `Expected ${spatial + 1}D (unbatched) or ${spatial + 2}D (batched) input to ${name}, ` +
        `but got input of size: [${x.shape.join(', ')}]`,
    );
  if (weight.rank !== spatial + 2) throw runtimeError(`weight should have ${spatial + 2} dimensions for ${name}`);
  if (!isFloatDtype(x.dtype) || !isFloatDtype(weight.dtype))
    throw runtimeError(`"${name}" not implemented for integer tensors`);
  const channels = x.shape[unbatched ? 0 : 1];
  const [outChannels, groupChannels, ...kernel] = weight.shape;
  if (groups < 1 || channels % groups !== 0 || outChannels % groups !== 0 || groupChannels * groups !== channels)
    throw runtimeError(
      `Given groups=${groups}, weight of size [${weight.shape.join(', ')}], expected input[${x.shape.join(', ')}] ` +
        `to have ${groupChannels * groups} channels, but got ${channels} channels instead`,
    );
  const g = geometry(a, kernel);
  // TF.js convolves 2-D and 3-D windows: a 1-D one is a 2-D window of height 1.
  const lift = spatial === 1;
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return site.rt.apply(
    site,
    name,
    inputs,
    ([input, w, b]) => {
      let data = unbatched ? tf.expandDims(input, 0) : input;
      let filter = w;
      let geo = g;
      if (lift) {
        data = tf.expandDims(data, 2);
        filter = tf.expandDims(filter, 2);
        geo = { stride: [1, ...g.stride], dilation: [1, ...g.dilation], pads: [[0, 0], ...g.pads] };
      }
      const rank = data.rank;
      const toLast = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
      const toFirst = [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
      const last = tf.transpose(data, toLast);
      // (out, in, *kernel) → (*kernel, in, out)
      const kernelLast = tf.transpose(filter, [...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1, 0]);
      const parts = Array.from({ length: groups }, (_, k) => {
        const xs = tf.slice(
          last,
          [...Array(rank - 1).fill(0), k * groupChannels],
          [...Array(rank - 1).fill(-1), groupChannels],
        );
        const per = outChannels / groups;
        const ws = tf.slice(kernelLast, [...Array(rank - 1).fill(0), k * per], [...Array(rank - 1).fill(-1), per]);
        return channelsLast(xs, ws, geo);
      });
      let out = tf.transpose(groups === 1 ? parts[0] : tf.concat(parts, rank - 1), toFirst);
      if (b) out = tf.add(out, tf.reshape(b, [1, outChannels, ...Array(rank - 2).fill(1)]));
      if (lift) out = tf.squeeze(out, [2]);
      return unbatched ? tf.squeeze(out, [0]) : out;
    },
    { kind: { category: 'other', reason: `${name}: a sliding-window weighted sum` }, dtype: x.dtype },
  );
}

const SPEC = ['input', 'weight', 'bias=None', 'stride=1', 'padding=0', 'dilation=1', 'groups=1'];
// conv3d is left out: TF.js's 3-D convolution gradient on WebAssembly disagrees with PyTorch's.
for (const spatial of [1, 2]) {
  const name = `conv${spatial}d`;
  functional.set(
    name,
    def(`F.${name}`, SPEC, (a, site) => convolve(site, a, spatial, name)),
  );
}
