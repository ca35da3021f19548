// Seeded synthetic segmentation data for training probes, generated on the spot (no downloads):
// images with a few small blob lesions on a smoothly varying, noisy background. Foreground is
// rare (about 1 %), many images have no lesion at all, and in the multi-class set each image holds
// only some classes, so classes are missing from many images and from some batches: the
// conditions under which broken Dice variants fail. The tensors follow the loss's contract.
import * as tf from '@tensorflow/tfjs';
import type { Contract } from '../contract';
import { normalSample, seededRandom } from '../random';

export type DatasetName = 'binary-2d' | 'multiclass-2d' | 'binary-3d';
export const DATASET_NAMES: readonly DatasetName[] = ['binary-2d', 'multiclass-2d', 'binary-3d'];

export interface DatasetOptions {
  seed?: number;
  /** Spatial shape, e.g. [64, 64] or [16, 32, 32]; defaults per dataset. */
  spatial?: number[];
  batchSize?: number;
  trainBatches?: number;
  heldOutImages?: number;
}

export interface ProbeBatch {
  /** Position among the training batches; -1 for the held-out batch. */
  index: number;
  count: number;
  /** Model input, channels-last (N, *spatial, 1), float32. */
  images: tf.Tensor;
  /** The labels as the loss receives them: one-hot float or sparse int32, in the contract's layout. */
  target: tf.Tensor;
  /** Class index per voxel, (N, *spatial) row-major: the ground truth the metrics read. */
  labels: Int32Array;
}

export interface ProbeDataset {
  name: DatasetName;
  spatial: number[];
  /** Classes in the label maps, background included (2 for a one-channel binary contract). */
  labelClasses: number;
  /** Channels of the prediction: the contract's classes (1 means one sigmoid channel). */
  channels: number;
  train: ProbeBatch[];
  heldOut: ProbeBatch;
  /** Foreground fraction over the training images. */
  foregroundFraction: number;
  /** Training images without any lesion. */
  emptyImages: number;
  dispose(): void;
}

/** Geometry of one preset: how big the images are and how lesions are scattered. */
interface Preset {
  spatial: number[];
  batchSize: number;
  trainBatches: number;
  heldOutImages: number;
  /** Lesion radius range per axis (voxels). */
  radius: [number, number][];
  /** The lesions of one image, as the foreground class of each (empty: an image without lesion). */
  lesionClasses(random: () => number, foregroundClasses: number): number[];
}

const between = (random: () => number, low: number, high: number) => low + random() * (high - low);
const integerBetween = (random: () => number, low: number, high: number) =>
  low + Math.floor(random() * (high - low + 1));

/** Binary presets: 40 % of images have no lesion, the rest one to `most`, each of a random foreground class. */
const scatteredLesions =
  (most: number) =>
  (random: () => number, foregroundClasses: number): number[] => {
    if (random() < 0.4) return [];
    return Array.from({ length: integerBetween(random, 1, most) }, () => integerBetween(random, 1, foregroundClasses));
  };

/** Each class appears in an image with its own probability (rarer for higher classes), so whole batches miss some. */
const CLASS_PRESENCE = [0.6, 0.45, 0.3];
const classSubsets = (random: () => number, foregroundClasses: number): number[] => {
  const lesions: number[] = [];
  for (let c = 1; c <= foregroundClasses; c++) {
    if (random() < (CLASS_PRESENCE[c - 1] ?? 0.3)) lesions.push(...Array(integerBetween(random, 1, 2)).fill(c));
  }
  return lesions;
};

const PRESETS: Record<DatasetName, Preset> = {
  'binary-2d': {
    spatial: [64, 64],
    batchSize: 4,
    trainBatches: 4,
    heldOutImages: 8,
    radius: [
      [2, 4],
      [2, 4],
    ],
    lesionClasses: scatteredLesions(3),
  },
  'multiclass-2d': {
    spatial: [64, 64],
    batchSize: 4,
    trainBatches: 4,
    heldOutImages: 8,
    radius: [
      [2, 4],
      [2, 4],
    ],
    lesionClasses: classSubsets,
  },
  'binary-3d': {
    spatial: [16, 32, 32],
    batchSize: 2,
    trainBatches: 4,
    heldOutImages: 4,
    radius: [
      [1.5, 2.5],
      [2, 3.5],
      [2, 3.5],
    ],
    lesionClasses: scatteredLesions(2),
  },
};

/** The dataset a contract calls for: 3-D volumes, several foreground classes, or one. */
export function datasetFor(contract: Contract): DatasetName {
  if (contract.spatialDims === 3) return 'binary-3d';
  return (contract.classes ?? 2) > 2 ? 'multiclass-2d' : 'binary-2d';
}

/**
 * Intensity offset of each class: alternating brighter and darker than background, further out for
 * higher classes, so every class is separable from intensity once the noise is averaged out.
 */
const classContrast = (c: number) => (c % 2 === 1 ? 1 : -1) * (1 + 0.8 * Math.floor((c - 1) / 2));
const NOISE = 0.45;
const SHADING = 0.3;

interface GeneratedImage {
  labels: Int32Array;
  image: Float32Array;
}

/** One image: ellipsoid lesions of the given classes over shaded background, plus Gaussian noise. */
function generateImage(
  random: () => number,
  preset: Preset,
  spatial: number[],
  foregroundClasses: number,
): GeneratedImage {
  const voxels = spatial.reduce((a, b) => a * b, 1);
  const labels = new Int32Array(voxels);
  // Radii scale with the image so smaller (test) images keep lesions of about the same relative size.
  const scale = Math.max(0.5, spatial[spatial.length - 1] / preset.spatial[preset.spatial.length - 1]);
  for (const c of preset.lesionClasses(random, foregroundClasses)) {
    const radii = spatial.map((_, d) => Math.max(1, between(random, ...preset.radius[d]) * scale));
    const centre = spatial.map((size, d) =>
      between(random, Math.min(radii[d], size / 2), Math.max(size - radii[d], size / 2)),
    );
    forEachVoxel(spatial, (index, coordinates) => {
      let distance = 0;
      for (let d = 0; d < spatial.length; d++) distance += ((coordinates[d] - centre[d]) / radii[d]) ** 2;
      if (distance <= 1) labels[index] = c;
    });
  }
  // Low-frequency shading: a lesion is not simply "the brightest pixels".
  const waves = Array.from({ length: 2 }, () => ({
    frequency: spatial.map((size) => (between(random, 0.5, 1.5) * 2 * Math.PI) / size),
    phase: between(random, 0, 2 * Math.PI),
  }));
  const image = new Float32Array(voxels);
  forEachVoxel(spatial, (index, coordinates) => {
    let shade = 0;
    for (const wave of waves)
      shade += Math.cos(coordinates.reduce((acc, x, d) => acc + x * wave.frequency[d], wave.phase));
    const contrast = labels[index] > 0 ? classContrast(labels[index]) : 0;
    image[index] = (SHADING * shade) / 2 + contrast + NOISE * normalSample(random);
  });
  return { labels, image };
}

function forEachVoxel(spatial: number[], visit: (index: number, coordinates: number[]) => void): void {
  const voxels = spatial.reduce((a, b) => a * b, 1);
  const coordinates = new Array<number>(spatial.length).fill(0);
  for (let index = 0; index < voxels; index++) {
    visit(index, coordinates);
    for (let d = spatial.length - 1; d >= 0; d--) {
      if (++coordinates[d] < spatial[d]) break;
      coordinates[d] = 0;
    }
  }
}

/** Sparse maps: PyTorch (N, *spatial); Keras (N, *spatial, 1). `sparseChannel` overrides, as in the diagnosis. */
export function sparseTargetShape(contract: Contract, count: number, spatial: number[]): number[] {
  const channel = contract.sparseChannel ?? contract.layout === 'channels_last';
  if (!channel) return [count, ...spatial];
  return contract.layout === 'channels_first' ? [count, 1, ...spatial] : [count, ...spatial, 1];
}

/** The target tensor a loss under `contract` receives for these label maps. */
export function targetTensor(
  contract: Contract,
  labels: Int32Array,
  count: number,
  spatial: number[],
  channels: number,
): tf.Tensor {
  if (contract.labels === 'sparse')
    return tf.tensor(labels, sparseTargetShape(contract, count, spatial), contract.floatLabels ? 'float32' : 'int32');
  const voxels = spatial.reduce((a, b) => a * b, 1);
  const data = new Float32Array(count * voxels * channels);
  const channelsFirst = contract.layout === 'channels_first';
  for (let n = 0; n < count; n++) {
    for (let v = 0; v < voxels; v++) {
      const label = labels[n * voxels + v];
      // One channel is the binary foreground mask; otherwise one-hot over the classes.
      const c = channels === 1 ? 0 : label;
      if (channels === 1 && label === 0) continue;
      data[channelsFirst ? (n * channels + c) * voxels + v : (n * voxels + v) * channels + c] = 1;
    }
  }
  return tf.tensor(data, channelsFirst ? [count, channels, ...spatial] : [count, ...spatial, channels], 'float32');
}

/**
 * Builds a dataset under a contract. Same name, contract and options give the same tensors, bit
 * for bit, on every backend (the data come from a JavaScript PRNG, not from TF.js).
 */
export function makeDataset(name: DatasetName, contract: Contract, options: DatasetOptions = {}): ProbeDataset {
  const preset = PRESETS[name];
  const spatial = options.spatial ?? preset.spatial;
  if (spatial.length !== preset.spatial.length)
    throw new Error(`${name} is ${preset.spatial.length}-D; got spatial shape [${spatial}]`);
  const channels = contract.classes ?? 2;
  const labelClasses = Math.max(channels, 2);
  const batchSize = options.batchSize ?? preset.batchSize;
  const trainBatches = options.trainBatches ?? preset.trainBatches;
  const heldOutImages = options.heldOutImages ?? preset.heldOutImages;
  const random = seededRandom(options.seed ?? 1);
  const voxels = spatial.reduce((a, b) => a * b, 1);

  let emptyImages = 0;
  let foreground = 0;
  const batch = (index: number, count: number): ProbeBatch => {
    const labels = new Int32Array(count * voxels);
    const images = new Float32Array(count * voxels);
    for (let n = 0; n < count; n++) {
      const generated = generateImage(random, preset, spatial, labelClasses - 1);
      labels.set(generated.labels, n * voxels);
      images.set(generated.image, n * voxels);
      if (index >= 0) {
        const lesionVoxels = generated.labels.reduce((acc, l) => acc + (l > 0 ? 1 : 0), 0);
        foreground += lesionVoxels;
        if (lesionVoxels === 0) emptyImages++;
      }
    }
    return {
      index,
      count,
      labels,
      images: tf.tensor(images, [count, ...spatial, 1], 'float32'),
      target: targetTensor(contract, labels, count, spatial, channels),
    };
  };

  const train = Array.from({ length: trainBatches }, (_, i) => batch(i, batchSize));
  const heldOut = batch(-1, heldOutImages);
  return {
    name,
    spatial,
    labelClasses,
    channels,
    train,
    heldOut,
    foregroundFraction: foreground / (trainBatches * batchSize * voxels),
    emptyImages,
    dispose() {
      for (const b of [...train, heldOut]) tf.dispose([b.images, b.target]);
    },
  };
}
