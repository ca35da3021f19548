// Options every reference loss shares: how to read the prediction and the target, which classes
// count, and how the per-class (or per-voxel) terms become one number.
import type { Layout } from '../../contract';

export type { Layout };

/**
 * What turns the prediction into probabilities: 'softmax' over the class axis (exclusive classes,
 * the prediction is logits), 'sigmoid' per channel (independent labels, logits), or 'none' (the
 * prediction already holds probabilities).
 */
export type Activation = 'softmax' | 'sigmoid' | 'none';

/** How the per-class or per-voxel terms are combined into the scalar loss. */
export type Reduction = 'mean' | 'sum';

export interface ReferenceOptions {
  /** Required, because guessing it is exactly the mistake the probes look for. */
  activation: Activation;
  /** Where the class axis is: 1 (N, C, ...spatial) or last (N, ...spatial, C). Default channels_first. */
  layout?: Layout;
  /** False drops class 0 (background) from the loss. Default true. Ignored for one-channel predictions. */
  includeBackground?: boolean;
  /** Default 'mean'. The unreduced terms are available from each family's `...Terms` function. */
  reduction?: Reduction;
}

export const DEFAULT_LAYOUT: Layout = 'channels_first';
