// Connected-component labelling of 2-D and 3-D masks in plain JavaScript (union-find over a
// raster scan), and lesion matching: a true lesion is found when a predicted component overlaps
// it; a predicted component that overlaps no true lesion is a false positive.
import type { LesionCounts } from './types';

/**
 * 'face': neighbours share a side (4 in 2-D, 6 in 3-D; scipy.ndimage.label's default).
 * 'full': any touching voxel (8 in 2-D, 26 in 3-D).
 */
export type Connectivity = 'face' | 'full';

export interface Components {
  /** Component id per voxel, 1..count; 0 for background. */
  labels: Int32Array;
  count: number;
}

/** Neighbour offsets that come earlier in raster order: enough to join every adjacent pair once. */
function earlierNeighbours(rank: number, connectivity: Connectivity): number[][] {
  const offsets: number[][] = [];
  const visit = (prefix: number[]) => {
    if (prefix.length === rank) {
      const nonZero = prefix.filter((d) => d !== 0).length;
      // Earlier in raster order: the first non-zero coordinate is negative.
      const first = prefix.find((d) => d !== 0);
      if (nonZero > 0 && first! < 0 && (connectivity === 'full' || nonZero === 1)) offsets.push(prefix);
      return;
    }
    for (const d of [-1, 0, 1]) visit([...prefix, d]);
  };
  visit([]);
  return offsets;
}

function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

/** Labels the connected components of `mask` (non-zero = inside), of row-major shape `shape`. */
export function labelComponents(
  mask: ArrayLike<number>,
  shape: readonly number[],
  connectivity: Connectivity = 'face',
): Components {
  const size = shape.reduce((a, b) => a * b, 1);
  if (mask.length !== size) throw new Error(`a mask of ${mask.length} voxels does not have shape [${shape}]`);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const offsets = earlierNeighbours(shape.length, connectivity);
  const parent = new Int32Array(size).fill(-1);
  const coordinates = new Array<number>(shape.length).fill(0);
  for (let index = 0; index < size; index++) {
    if (mask[index]) {
      parent[index] = index;
      for (const offset of offsets) {
        let inside = true;
        let neighbour = index;
        for (let d = 0; d < shape.length; d++) {
          const c = coordinates[d] + offset[d];
          if (c < 0 || c >= shape[d]) {
            inside = false;
            break;
          }
          neighbour += offset[d] * strides[d];
        }
        if (!inside || parent[neighbour] < 0) continue;
        const a = find(parent, index);
        const b = find(parent, neighbour);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++coordinates[d] < shape[d]) break;
      coordinates[d] = 0;
    }
  }
  const labels = new Int32Array(size);
  const ids = new Map<number, number>();
  for (let index = 0; index < size; index++) {
    if (parent[index] < 0) continue;
    const root = find(parent, index);
    let id = ids.get(root);
    if (id === undefined) ids.set(root, (id = ids.size + 1));
    labels[index] = id;
  }
  return { labels, count: ids.size };
}

/** Lesion counts for one image and one class: components of the true and predicted masks matched by overlap. */
export function matchLesions(
  predicted: ArrayLike<number>,
  truth: ArrayLike<number>,
  shape: readonly number[],
  connectivity: Connectivity = 'face',
): LesionCounts {
  const truthComponents = labelComponents(truth, shape, connectivity);
  const predictedComponents = labelComponents(predicted, shape, connectivity);
  const found = new Uint8Array(truthComponents.count + 1);
  const matched = new Uint8Array(predictedComponents.count + 1);
  for (let i = 0; i < truthComponents.labels.length; i++) {
    const t = truthComponents.labels[i];
    const p = predictedComponents.labels[i];
    if (t && p) {
      found[t] = 1;
      matched[p] = 1;
    }
  }
  const truePositives = found.reduce((a, b) => a + b, 0);
  const matchedPredictions = matched.reduce((a, b) => a + b, 0);
  return {
    truePositives,
    falsePositives: predictedComponents.count - matchedPredictions,
    falseNegatives: truthComponents.count - truePositives,
    trueLesions: truthComponents.count,
    predictedLesions: predictedComponents.count,
  };
}

export function addLesionCounts(a: LesionCounts, b: LesionCounts): LesionCounts {
  return {
    truePositives: a.truePositives + b.truePositives,
    falsePositives: a.falsePositives + b.falsePositives,
    falseNegatives: a.falseNegatives + b.falseNegatives,
    trueLesions: a.trueLesions + b.trueLesions,
    predictedLesions: a.predictedLesions + b.predictedLesions,
  };
}

export const NO_LESIONS: LesionCounts = {
  truePositives: 0,
  falsePositives: 0,
  falseNegatives: 0,
  trueLesions: 0,
  predictedLesions: 0,
};
