// tf.image.ssim and tf.image.ssim_multiscale, computed as TensorFlow's image_ops_impl does: a gaussian
// window (softmax of −(x² + y²)/2σ²), VALID filtering of each channel, the luminance and
// contrast-structure terms, means over height and width, then over channels; MS-SSIM downsamples by
// 2×2 average pooling (odd sizes padded at the end with a copy of the last row or column, as TF's
// SYMMETRIC padding does) and multiplies cs^power over the scales with (l·cs)^power at the last. The
// gradient flows through TF.js ops that have one on every backend (conv2d with channels as batch:
// the wasm backend has no depthwise-convolution gradient).
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { invalidArgumentError, valueError } from '../../errors';
import { castTensor } from '../../ops/coercion';
import { isTensor, iterate, toFloat, toInt, truthy } from '../../protocols';
import { type LogicalDtype, type TensorValue, isFloatDtype } from '../../tensor';
import type { PyValue } from '../../values';
import { type Bound, def } from '../common';
import { T, TF_FLAVOUR, noKernel } from './arguments';

export const image = new Map<string, PyValue>();

interface SsimWindow {
  filterSize: number;
  filterSigma: number;
  k1: number;
  k2: number;
}

/** Largest value of each integer dtype: convert_image_dtype maps [0, max] to [0, 1]. */
const INTEGER_MAX: Partial<Record<LogicalDtype, number>> = {
  uint8: 255,
  int8: 127,
  int16: 32767,
  int32: 2147483647,
  int64: 2 ** 63 - 1,
};

const shapeText = (shape: readonly number[]) => `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;

/** _verify_compatible_image_shapes: rank ≥ 3, the same (height, width, channels), broadcastable batch axes. */
function checkImageShapes(x: TensorValue, y: TensorValue): void {
  for (const t of [x, y]) if (t.rank < 3) throw valueError(`Shape ${shapeText(t.shape)} must have rank at least 3`);
  const [tail1, tail2] = [x.shape.slice(-3), y.shape.slice(-3)];
  if (tail1.some((d, i) => d !== tail2[i]))
    throw valueError(`Shapes ${shapeText(tail1)} and ${shapeText(tail2)} are incompatible`);
  const [head1, head2] = [x.shape.slice(0, -3).reverse(), y.shape.slice(0, -3).reverse()];
  for (let i = 0; i < Math.min(head1.length, head2.length); i++) {
    if (head1[i] !== head2[i] && head1[i] !== 1 && head2[i] !== 1)
      throw valueError(`Two images are not compatible: ${shapeText(x.shape)} and ${shapeText(y.shape)}`);
  }
  if (x.dtype !== y.dtype) {
    throw invalidArgumentError(
      `cannot compute ShapeN as input #1(zero-based) was expected to be a ${x.dtype} tensor but is a ` +
        `${y.dtype} tensor [Op:ShapeN]`,
    );
  }
}

/** tf.image.convert_image_dtype to float32: floats are cast, integers scaled by 1/max of their dtype. */
function toUnitFloat(t: tf.Tensor, dtype: LogicalDtype): tf.Tensor {
  const float = tf.cast(t, 'float32');
  return isFloatDtype(dtype) ? float : tf.mul(float, 1 / INTEGER_MAX[dtype]!);
}

/** _fspecial_gauss: the size×size gaussian window, normalised to sum 1, as a conv2d filter. */
function gaussianWindow(size: number, sigma: number): tf.Tensor4D {
  const offsets = Array.from({ length: size }, (_, i) => i - (size - 1) / 2);
  const weights = offsets.flatMap((dy) =>
    offsets.map((dx) => Math.exp((-0.5 * (dx * dx + dy * dy)) / (sigma * sigma))),
  );
  const total = weights.reduce((a, b) => a + b, 0);
  return tf.tensor4d(
    weights.map((w) => w / total),
    [size, size, 1, 1],
  );
}

/** The VALID-filtered local means of every channel of x (..., H, W, C). */
function localMeans(x: tf.Tensor, window: tf.Tensor4D): tf.Tensor {
  const [height, width, channels] = x.shape.slice(-3);
  const heads = x.shape.slice(0, -3);
  const planes = tf.reshape(tf.transpose(tf.reshape(x, [-1, height, width, channels]), [0, 3, 1, 2]), [
    -1,
    height,
    width,
    1,
  ]);
  const filtered = tf.conv2d(planes as tf.Tensor4D, window, 1, 'valid');
  const [outHeight, outWidth] = filtered.shape.slice(1, 3);
  const restored = tf.transpose(tf.reshape(filtered, [-1, channels, outHeight, outWidth]), [0, 2, 3, 1]);
  return tf.reshape(restored, [...heads, outHeight, outWidth, channels]);
}

/**
 * _ssim_per_channel: the SSIM map (luminance · contrast-structure) and the contrast-structure map,
 * (..., H', W', C), of two float images.
 */
function ssimMaps(x: tf.Tensor, y: tf.Tensor, maxVal: tf.Tensor, options: SsimWindow): [tf.Tensor, tf.Tensor] {
  const [height, width] = x.shape.slice(-3, -1);
  if (height < options.filterSize || width < options.filterSize) {
    throw invalidArgumentError(
      "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: " +
        `${x.shape.join(', ')}\n${options.filterSize}`,
    );
  }
  const window = gaussianWindow(options.filterSize, options.filterSigma);
  const c1 = tf.square(tf.mul(maxVal, options.k1));
  const c2 = tf.square(tf.mul(maxVal, options.k2));
  const mean0 = localMeans(x, window);
  const mean1 = localMeans(y, window);
  const num0 = tf.mul(tf.mul(mean0, mean1), 2);
  const den0 = tf.add(tf.square(mean0), tf.square(mean1));
  const luminance = tf.div(tf.add(num0, c1), tf.add(den0, c1));
  const num1 = tf.mul(localMeans(tf.mul(x, y), window), 2);
  const den1 = localMeans(tf.add(tf.square(x), tf.square(y)), window);
  const cs = tf.div(tf.add(tf.sub(num1, num0), c2), tf.add(tf.sub(den1, den0), c2));
  return [tf.mul(luminance, cs), cs];
}

/** Mean over the filtered height and width: (..., C). */
const spatialMean = (map: tf.Tensor) => tf.mean(map, [map.rank - 3, map.rank - 2]);

/** The two images and max_val (cast to img1's dtype, as TF does before converting all three to float32). */
function prepare(site: CallSite, a: Bound): { inputs: TensorValue[]; dtype: LogicalDtype } {
  const [x, y] = [T(site, a.img1), T(site, a.img2)];
  checkImageShapes(x, y);
  if (x.dtype === 'bool' || x.dtype === 'float16') throw noKernel('ConvertImageDtype', x.dtype);
  const given = isTensor(a.max_val)
    ? T(site, a.max_val)
    : site.rt.constant(toFloat(a.max_val), [], 'float32', TF_FLAVOUR);
  const maxVal = given.dtype === x.dtype ? given : castTensor(site, given, x.dtype);
  return { inputs: [x, y, maxVal], dtype: x.dtype };
}

function windowOptions(a: Bound): SsimWindow {
  return {
    filterSize: toInt(a.filter_size, 'filter_size'),
    filterSigma: toFloat(a.filter_sigma, 'filter_sigma'),
    k1: toFloat(a.k1, 'k1'),
    k2: toFloat(a.k2, 'k2'),
  };
}

const SSIM_KIND = { category: 'other', reason: 'structural similarity (SSIM) of two images' } as const;

image.set(
  'ssim',
  def(
    'tf.image.ssim',
    ['img1', 'img2', 'max_val', 'filter_size=11', 'filter_sigma=1.5', 'k1=0.01', 'k2=0.03', 'return_index_map=False'],
    (a, site) => {
      const { inputs, dtype } = prepare(site, a);
      const options = windowOptions(a);
      const indexMap = truthy(a.return_index_map);
      return site.rt.apply(
        site,
        'ssim',
        inputs,
        ([x, y, maxVal]) => {
          const [ssimMap] = ssimMaps(toUnitFloat(x, dtype), toUnitFloat(y, dtype), toUnitFloat(maxVal, dtype), options);
          return tf.mean(indexMap ? ssimMap : spatialMean(ssimMap), -1);
        },
        { kind: SSIM_KIND, dtype: 'float32', flavour: TF_FLAVOUR },
      );
    },
  ),
);

/** Half the height and width: 2×2 average pooling after padding odd sizes with their last row/column. */
function downsample(x: tf.Tensor, oddHeight: boolean, oddWidth: boolean): tf.Tensor {
  const [height, width, channels] = x.shape.slice(-3);
  const heads = x.shape.slice(0, -3);
  let flat = tf.reshape(x, [-1, height, width, channels]);
  if (oddHeight) flat = tf.concat([flat, tf.slice(flat, [0, height - 1, 0, 0], [-1, 1, -1, -1])], 1);
  if (oddWidth) flat = tf.concat([flat, tf.slice(flat, [0, 0, width - 1, 0], [-1, -1, 1, -1])], 2);
  const pooled = tf.avgPool(flat as tf.Tensor4D, 2, 2, 'valid');
  return tf.reshape(pooled, [...heads, ...pooled.shape.slice(1)]);
}

image.set(
  'ssim_multiscale',
  def(
    'tf.image.ssim_multiscale',
    ['img1', 'img2', 'max_val', 'power_factors=None', 'filter_size=11', 'filter_sigma=1.5', 'k1=0.01', 'k2=0.03'],
    (a, site) => {
      const { inputs, dtype } = prepare(site, a);
      const options = windowOptions(a);
      const powers =
        a.power_factors === null
          ? [0.0448, 0.2856, 0.3001, 0.2363, 0.1333]
          : [...iterate(a.power_factors, site)].map((p) => toFloat(p, 'power_factors'));
      if (!powers.length) throw valueError('ssim_multiscale needs at least one power factor');
      const [height, width] = inputs[0].shape.slice(-3, -1);
      return site.rt.apply(
        site,
        'ssim_multiscale',
        inputs,
        ([x0, y0, maxValue]) => {
          let [x, y] = [toUnitFloat(x0, dtype), toUnitFloat(y0, dtype)];
          const maxVal = toUnitFloat(maxValue, dtype);
          let [h, w] = [height, width];
          let product: tf.Tensor | undefined;
          powers.forEach((power, scale) => {
            if (scale > 0) {
              [x, y] = [downsample(x, h % 2 === 1, w % 2 === 1), downsample(y, h % 2 === 1, w % 2 === 1)];
              [h, w] = [Math.ceil(h / 2), Math.ceil(w / 2)];
            }
            const [ssimMap, csMap] = ssimMaps(x, y, maxVal, options);
            // cs at every scale but the last, where it is the SSIM itself (l · cs)
            const last = scale === powers.length - 1;
            const term = tf.pow(tf.relu(spatialMean(last ? ssimMap : csMap)), power);
            product = product ? tf.mul(product, term) : term;
          });
          return tf.mean(product!, -1);
        },
        {
          kind: { ...SSIM_KIND, reason: 'multi-scale structural similarity (MS-SSIM) of two images' },
          dtype: 'float32',
        },
      );
    },
  ),
);
