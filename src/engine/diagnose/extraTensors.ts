// Arguments a loss takes after the prediction and the labels, made from those two as a data loader
// would: pixel weights (ones: neutral, the loss behaves as unweighted; shaped like the labels, or
// like one label map when the loss wants (N, H, W) weights next to one-hot labels), per-class signed distance
// maps of the labels (negative inside each object), shaped like the prediction, and the class count.
import * as tf from '@tensorflow/tfjs';
import { ORIGIN_TARGET, TensorValue } from '../python/tensor';

/** `pixel-weights`: pixel weights without the labels' class axis, (N, *spatial), for one-hot labels. */
export type ExtraTensorKind = 'weights' | 'pixel-weights' | 'distance';

export function extraTensor(kind: ExtraTensorKind, prediction: TensorValue, target: TensorValue): TensorValue {
  if (kind === 'weights')
    return new TensorValue(tf.onesLike(target.tensor).toFloat(), 'float32', target.flavour, 0, false);
  if (kind === 'pixel-weights') {
    const classAxis = classAxisOf(prediction.flavour, prediction.rank);
    const shape = target.rank === prediction.rank ? target.shape.filter((_, i) => i !== classAxis) : target.shape;
    return new TensorValue(tf.ones(shape, 'float32'), 'float32', target.flavour, 0, false);
  }
  const maps = distanceMaps(prediction.shape, target.shape, target.tensor.dataSync(), prediction.flavour);
  return new TensorValue(tf.tensor(maps, prediction.shape, 'float32'), 'float32', target.flavour, ORIGIN_TARGET, false);
}

/** Channels-first frameworks keep the classes on axis 1, the others last. */
const classAxisOf = (flavour: string, rank: number) => (flavour === 'torch' || flavour === 'theano' ? 1 : rank - 1);

/** A class-count argument (`num_classes`) the loss takes after its two tensors: the prediction's channels. */
export const classCountOf = (prediction: TensorValue) =>
  BigInt(prediction.shape[classAxisOf(prediction.flavour, prediction.rank)] ?? 1);

const cache = new Map<string, Float32Array>();

/**
 * One signed Euclidean distance map per class and image: for each pixel, the distance to the
 * nearest pixel of the class (outside it) minus the distance to the nearest pixel not of the class
 * (inside it). A class absent from an image gets zeros.
 */
function distanceMaps(
  predictionShape: number[],
  targetShape: number[],
  labels: ArrayLike<number>,
  flavour: string,
): Float32Array {
  const key = `${predictionShape}|${targetShape}|${flavour}|${Array.from(labels).join(',')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const rank = predictionShape.length;
  const classAxis = classAxisOf(flavour, rank);
  const classes = predictionShape[classAxis];
  const batch = predictionShape[0];
  const spatial = predictionShape.filter((_, i) => i !== 0 && i !== classAxis);
  const pixels = spatial.reduce((a, b) => a * b, 1);
  const sameShape = targetShape.length === rank && targetShape.every((d, i) => d === predictionShape[i]);
  /** Whether pixel p of image b belongs to class c. */
  const member = (b: number, c: number, p: number): boolean => {
    if (sameShape) {
      const index = classAxis === 1 ? (b * classes + c) * pixels + p : (b * pixels + p) * classes + c;
      return labels[index] > 0.5;
    }
    return Math.round(labels[b * pixels + p]) === c; // a class map, with or without its size-1 axis
  };
  const coordinates = Array.from({ length: pixels }, (_, p) => {
    const point: number[] = [];
    let rest = p;
    for (let d = spatial.length - 1; d >= 0; d--) {
      point.unshift(rest % spatial[d]);
      rest = Math.floor(rest / spatial[d]);
    }
    return point;
  });
  const distance = (a: number[], b: number[]) => Math.sqrt(a.reduce((sum, x, i) => sum + (x - b[i]) ** 2, 0));
  const out = new Float32Array(batch * classes * pixels);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < classes; c++) {
      const inside = Array.from({ length: pixels }, (_, p) => member(b, c, p));
      const insidePoints = coordinates.filter((_, p) => inside[p]);
      const outsidePoints = coordinates.filter((_, p) => !inside[p]);
      if (!insidePoints.length || !outsidePoints.length) continue;
      for (let p = 0; p < pixels; p++) {
        const others = inside[p] ? outsidePoints : insidePoints;
        let nearest = Infinity;
        for (const q of others) nearest = Math.min(nearest, distance(coordinates[p], q));
        const value = inside[p] ? -nearest : nearest;
        const index = classAxis === 1 ? (b * classes + c) * pixels + p : (b * pixels + p) * classes + c;
        out[index] = value;
      }
    }
  }
  if (cache.size > 64) cache.delete(cache.keys().next().value!);
  cache.set(key, out);
  return out;
}
