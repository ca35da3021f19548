// Sum axes for overlap statistics and the final reduction of per-class or per-voxel terms.
import * as tf from '@tensorflow/tfjs';
import type { Reduction } from './options';

/** Spatial axes of a channels-first tensor, plus the batch axis when the statistics are pooled over the batch. */
export function overlapAxes(rank: number, poolBatch: boolean): number[] {
  const spatial = Array.from({ length: rank - 2 }, (_, i) => i + 2);
  return poolBatch ? [0, ...spatial] : spatial;
}

export function reduceTerms(terms: tf.Tensor, reduction: Reduction = 'mean'): tf.Scalar {
  return (reduction === 'sum' ? tf.sum(terms) : tf.mean(terms)) as tf.Scalar;
}
