// The plain-JSON shapes a training probe produces and the loss signature it trains. Tensors never
// leave the probe: everything here can go through postMessage or JSON.stringify unchanged.
import type * as tf from '@tensorflow/tfjs';

/** A loss in the probe's terms: the prediction and the target in the contract's form, a scalar out. */
export type LossFn = (prediction: tf.Tensor, target: tf.Tensor) => tf.Scalar;

export interface NamedLoss {
  name: string;
  loss: LossFn;
}

export type RunRole = 'user' | 'reference';

/** Lesion-level counts: connected components of one class matched by overlap. */
export interface LesionCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueLesions: number;
  predictedLesions: number;
}

/** Metrics of one model state on the evaluation images (hard predictions: argmax, or logit > 0). */
export interface ModelMetrics {
  step: number;
  /** Hard Dice per class (index 0 is background); null where the class is neither present nor predicted. */
  dicePerClass: (number | null)[];
  /** Mean hard Dice over the foreground classes that have a value. */
  foregroundDice: number;
  /** Fraction of voxels predicted as any foreground class. */
  predictedForeground: number;
  trueForeground: number;
  /** Predicted fraction per class (index 0 is background). */
  predictedPerClass: number[];
  truePerClass: number[];
  lesions: LesionCounts;
}

/** How the gradient behaved over a run: why a curve may stay flat. */
export interface GradientHealth {
  /** Steps where TF.js found no connection between the model and the loss. */
  noGradientSteps: number;
  /** Steps with an all-zero gradient. */
  zeroGradientSteps: number;
  /** Steps whose gradient held NaN/Inf: the update was skipped so the model stays usable. */
  nonFiniteGradientSteps: number;
  nonFiniteLossSteps: number;
  firstNonFiniteStep: number | null;
}

export type RunStatus = 'trained' | 'no-gradient' | 'failed' | 'cancelled';

export interface RunCurves {
  /** Loss before the update of step i + 1 (null: NaN/Inf, or not computed). */
  loss: (number | null)[];
  /** Global L2 norm of d(loss)/d(parameters) at step i + 1 (null: no gradient or NaN/Inf). */
  gradNorm: (number | null)[];
  /** Step 0 (the initial model), every few steps, and the last step. */
  evaluations: ModelMetrics[];
}

/** What the model segments at one step, on the snapshot slice (see SnapshotSlice). */
export interface MaskSnapshot {
  step: number;
  /** Predicted probability of any foreground class per pixel, row-major (height × width), 3 decimals. */
  foreground: number[];
  /** Hard predicted class per pixel (argmax, or logit > 0 for one sigmoid channel). */
  predicted: number[];
}

/**
 * The image the mask snapshots show: one evaluation image with lesions (for 3-D data the depth
 * slice with the most foreground), downsampled to at most 64 × 64.
 */
export interface SnapshotSlice {
  /** Index among the evaluation images, and the depth index for 3-D data. */
  image: number;
  depth?: number;
  height: number;
  width: number;
  /** Input intensity (3 decimals) and true class per pixel, row-major. */
  intensity: number[];
  truth: number[];
}

export interface RunResult {
  name: string;
  role: RunRole;
  status: RunStatus;
  /** Why the run failed (the loss threw); the other runs go on. */
  error?: string;
  stepsRun: number;
  curves: RunCurves;
  final: ModelMetrics;
  gradient: GradientHealth;
  /** Mask snapshots at a few steps (the first and the last among them). */
  snapshots: MaskSnapshot[];
  /** Wall time spent on this loss's steps and evaluations. */
  timeMs: number;
}

/** Sent every few steps so an editor can draw live curves. */
export interface ProgressEvent {
  step: number;
  steps: number;
  /** In the first event (step 0): the image the runs' mask snapshots show. */
  snapshotSlice?: SnapshotSlice;
  runs: {
    name: string;
    role: RunRole;
    status: RunStatus;
    /** Loss and gradient norm of the steps since the previous event, starting at `fromStep`. */
    fromStep: number;
    loss: (number | null)[];
    gradNorm: (number | null)[];
    evaluation: ModelMetrics;
    /** Present when a mask snapshot was taken at this step. */
    snapshot?: MaskSnapshot;
  }[];
}
