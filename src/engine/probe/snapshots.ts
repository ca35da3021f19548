// Mask snapshots: what each model predicts on one evaluation image at a few steps, so an editor can
// show the masks forming (or not) next to the ground truth. The image is chosen once per probe; the
// snapshots come from the logits the evaluation computes anyway (one extra slice and read).
import * as tf from '@tensorflow/tfjs';
import type { ProbeBatch } from './data';
import type { MaskSnapshot, SnapshotSlice } from './types';

/** Largest edge of a snapshot: the webview draws heatmaps, not full-resolution volumes. */
const MAX_EDGE = 64;
/** Snapshots after step 0, spread over the budget. */
const SNAPSHOTS_AFTER_START = 5;

/** Where the snapshot slice sits among the evaluation batches, and how it is downsampled. */
export interface SnapshotSite {
  /** Position among the evaluation batches, and image index within that batch. */
  batch: number;
  index: number;
  /** Depth index for 3-D data, and the depth of a volume (1 for 2-D data). */
  depth?: number;
  depths: number;
  /** The plane's full size (height, width) and the block edge per axis (1: no downsampling). */
  plane: [number, number];
  block: [number, number];
}

/**
 * Step 0 and about five evaluation steps spread over the budget, the last one among them. A step is
 * rounded up to the next evaluation step (evaluations happen every `evalEvery` steps and at the last).
 */
export function plannedSnapshotSteps(steps: number, evalEvery: number): Set<number> {
  const planned = new Set([0]);
  for (let k = 1; k <= SNAPSHOTS_AFTER_START; k++) {
    const target = Math.ceil((k * steps) / SNAPSHOTS_AFTER_START);
    planned.add(Math.min(steps, Math.ceil(target / evalEvery) * evalEvery));
  }
  return planned;
}

/** Per-class voxel counts of one plane of the label maps. */
function classCounts(labels: Int32Array, offset: number, size: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = offset; i < offset + size; i++)
    if (labels[i] > 0) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  return counts;
}

/**
 * The evaluation image to show: among every image (and, for 3-D data, every depth slice), the one
 * whose plane holds the most distinct foreground classes, then the most foreground. Null when no
 * evaluation image has a lesion.
 */
export function chooseSnapshot(
  batches: ProbeBatch[],
  spatial: number[],
): { site: SnapshotSite; slice: SnapshotSlice } | null {
  const plane: [number, number] = [spatial[spatial.length - 2], spatial[spatial.length - 1]];
  const planeSize = plane[0] * plane[1];
  const depths = spatial.length === 3 ? spatial[0] : 1;
  let best: { batch: number; index: number; depth: number; classes: number; foreground: number } | null = null;
  batches.forEach((batch, position) => {
    for (let n = 0; n < batch.count; n++) {
      for (let d = 0; d < depths; d++) {
        const counts = classCounts(batch.labels, (n * depths + d) * planeSize, planeSize);
        const foreground = [...counts.values()].reduce((a, b) => a + b, 0);
        if (
          foreground > 0 &&
          (!best || counts.size > best.classes || (counts.size === best.classes && foreground > best.foreground))
        ) {
          best = { batch: position, index: n, depth: d, classes: counts.size, foreground };
        }
      }
    }
  });
  if (!best) return null;
  const { batch: position, index, depth } = best;
  const block: [number, number] = [Math.ceil(plane[0] / MAX_EDGE), Math.ceil(plane[1] / MAX_EDGE)];
  const site: SnapshotSite = { batch: position, index, ...(depths > 1 ? { depth } : {}), depths, plane, block };
  const batch = batches[position];
  const offset = (index * depths + depth) * planeSize;
  const intensity = tf.tidy(
    () => tf.slice(tf.reshape(batch.images, [-1]), offset, planeSize).dataSync() as Float32Array,
  );
  const image = batches.slice(0, position).reduce((acc, b) => acc + b.count, 0) + index;
  return {
    site,
    slice: {
      image,
      ...(site.depth !== undefined ? { depth: site.depth } : {}),
      height: Math.ceil(plane[0] / block[0]),
      width: Math.ceil(plane[1] / block[1]),
      intensity: blockMean(intensity, site).map(round3),
      truth: blockMode(batch.labels.subarray(offset, offset + planeSize), site),
    },
  };
}

/**
 * Probability of any foreground class on the site's plane, (H, W), from a batch's channels-last
 * logits: 1 - p(background) under softmax, sigmoid(logit) for one channel (what metrics.ts's hard
 * prediction thresholds).
 */
export function foregroundProbability(logits: tf.Tensor, site: SnapshotSite): tf.Tensor {
  const channels = logits.shape[logits.rank - 1];
  const start = site.depth === undefined ? [site.index, 0, 0, 0] : [site.index, site.depth, 0, 0, 0];
  const size = site.depth === undefined ? [1, ...site.plane, channels] : [1, 1, ...site.plane, channels];
  const plane = tf.reshape(tf.slice(logits, start, size), [...site.plane, channels]);
  if (channels === 1) return tf.sigmoid(tf.squeeze(plane, [2]));
  return tf.sub(1, tf.squeeze(tf.slice(tf.softmax(plane, -1), [0, 0, 0], [-1, -1, 1]), [2]));
}

/** A snapshot from the plane's foreground probability and the batch's hard prediction (N, *spatial). */
export function maskSnapshot(
  site: SnapshotSite,
  step: number,
  foreground: Float32Array,
  batchPrediction: Int32Array,
): MaskSnapshot {
  const planeSize = site.plane[0] * site.plane[1];
  const offset = (site.index * site.depths + (site.depth ?? 0)) * planeSize;
  return {
    step,
    foreground: blockMean(foreground, site).map(round3),
    predicted: blockMode(batchPrediction.subarray(offset, offset + planeSize), site),
  };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** Mean over each block (downsampling a continuous map). */
function blockMean(values: ArrayLike<number>, site: SnapshotSite): number[] {
  if (unblocked(site)) return Array.from(values);
  return blocks(site, (cells) => cells.reduce((acc, i) => acc + values[i], 0) / cells.length);
}

/** Most frequent class in each block; ties go to the higher class so small lesions survive. */
function blockMode(classes: Int32Array, site: SnapshotSite): number[] {
  if (unblocked(site)) return Array.from(classes);
  return blocks(site, (cells) => {
    const counts = new Map<number, number>();
    for (const i of cells) counts.set(classes[i], (counts.get(classes[i]) ?? 0) + 1);
    let best = -1;
    for (const [c, count] of counts)
      if (best < 0 || count > counts.get(best)! || (count === counts.get(best)! && c > best)) best = c;
    return best;
  });
}

/** The usual case: planes of at most 64 × 64 are shown as they are. */
const unblocked = (site: SnapshotSite) => site.block[0] === 1 && site.block[1] === 1;

/** Applies `reduce` to the plane's pixel indices of each block, row-major over the blocks. */
function blocks(site: SnapshotSite, reduce: (cells: number[]) => number): number[] {
  const [height, width] = site.plane;
  const [bh, bw] = site.block;
  const out: number[] = [];
  for (let y = 0; y < height; y += bh) {
    for (let x = 0; x < width; x += bw) {
      const cells: number[] = [];
      for (let dy = 0; dy < bh && y + dy < height; dy++)
        for (let dx = 0; dx < bw && x + dx < width; dx++) cells.push((y + dy) * width + x + dx);
      out.push(reduce(cells));
    }
  }
  return out;
}
