// One loss training one copy of the initial model with its own Adam optimiser: a step computes the
// loss and its gradient, records them, and applies the update. A loss that gives no gradient, a
// zero one or NaN/Inf does not stop the probe: the step is recorded and the model left as it is.
import * as tf from '@tensorflow/tfjs';
import type { Contract } from '../contract';
import { InterpreterError } from '../python/errors';
import { releaseAbandonedTape } from '../program';
import type { Connectivity } from './components';
import type { ProbeDataset } from './data';
import { type Measurement, evaluateModel, snapshotModel } from './metrics';
import { type ModelWeights, type ProbeModel, contractPrediction, instantiate } from './models';
import { PerVariableAdam } from './optimizer';
import type { SnapshotSite } from './snapshots';
import type { GradientHealth, LossFn, MaskSnapshot, RunCurves, RunResult, RunRole, RunStatus } from './types';

/**
 * TF.js's messages when the loss gives no gradient: no trainable variable reaches it (the
 * interpreter cuts the path at argmax, thresholds, .detach()...), or an op on the path has no
 * gradient at all in TF.js (equal, argMax... in a loss written directly in TF.js).
 */
const NO_GRADIENT = new RegExp(
  [
    'Cannot find a connection between any variable and the result of the loss function',
    'Cannot compute gradient: gradient function not found',
  ].join('|'),
);

type StepOutcome = 'updated' | 'no-gradient' | 'zero-gradient' | 'non-finite-gradient';

interface StepRecord {
  loss: number | null;
  gradNorm: number | null;
  outcome: StepOutcome;
}

export interface RunSettings {
  data: ProbeDataset;
  weights: ModelWeights;
  contract: Contract;
  learningRate: number;
  /** Adam's epsilon (undefined: TF.js's default). */
  adamEpsilon?: number;
  connectivity: Connectivity;
  /** Where mask snapshots are taken (none when no evaluation image has a lesion). */
  snapshotSite?: SnapshotSite;
}

export class LossRun {
  readonly curves: RunCurves = { loss: [], gradNorm: [], evaluations: [] };
  readonly snapshots: MaskSnapshot[] = [];
  readonly gradient: GradientHealth = {
    noGradientSteps: 0,
    zeroGradientSteps: 0,
    nonFiniteGradientSteps: 0,
    nonFiniteLossSteps: 0,
    firstNonFiniteStep: null,
  };
  status: RunStatus = 'trained';
  error?: string;
  stepsRun = 0;
  timeMs = 0;
  private readonly model: ProbeModel;
  private readonly optimizer: PerVariableAdam;
  /**
   * While no update has ever changed the model, every batch's step repeats itself: once each batch
   * has been seen without an update, the run is frozen and later steps replay those records instead
   * of interpreting the loss again.
   */
  private everUpdated = false;
  private frozen = false;
  private readonly lastStepByBatch = new Map<number, StepRecord>();

  constructor(
    readonly name: string,
    readonly role: RunRole,
    private readonly loss: LossFn,
    private readonly settings: RunSettings,
  ) {
    this.model = instantiate(settings.weights);
    this.optimizer = new PerVariableAdam(settings.learningRate, settings.adamEpsilon);
  }

  get active(): boolean {
    return this.status === 'trained' || this.status === 'no-gradient';
  }

  get parameters(): number {
    return this.model.parameters;
  }

  /** Step `step` (1-based) on training batch (step - 1) mod the batch count. */
  step(step: number): void {
    if (!this.active) return;
    const start = performance.now();
    const batches = this.settings.data.train;
    const batch = batches[(step - 1) % batches.length];
    try {
      const record = this.frozen ? this.lastStepByBatch.get(batch.index)! : this.train(batch.index);
      this.record(step, record);
      this.lastStepByBatch.set(batch.index, record);
      if (record.outcome === 'updated') this.everUpdated = true;
      if (!this.frozen && !this.everUpdated && this.lastStepByBatch.size === batches.length) {
        this.frozen = true;
        const outcomes = [...this.lastStepByBatch.values()].map((r) => r.outcome);
        if (outcomes.every((o) => o === 'no-gradient' || o === 'zero-gradient')) this.status = 'no-gradient';
      }
    } catch (error) {
      this.status = error instanceof InterpreterError && error.kind === 'cancelled' ? 'cancelled' : 'failed';
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.timeMs += performance.now() - start;
    }
  }

  private prediction(batchIndex: number): tf.Tensor {
    return contractPrediction(this.model.logits(this.settings.data.train[batchIndex]), this.settings.contract);
  }

  private train(batchIndex: number): StepRecord {
    const target = this.settings.data.train[batchIndex].target;
    let computed: { stats: tf.Tensor; grads: tf.NamedTensorMap };
    try {
      computed = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => this.loss(this.prediction(batchIndex), target),
          this.model.variables,
        );
        const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
        // Loss and norm in one tensor: one read from the backend per step.
        return { stats: tf.stack([value, tf.sqrt(tf.addN(squares))]), grads };
      });
    } catch (error) {
      // A forward pass that threw leaves the tape's saved tensors behind.
      releaseAbandonedTape();
      if (!(error instanceof Error && NO_GRADIENT.test(error.message))) throw error;
      // The loss ran but reaches no variable: its value still draws the (flat) curve.
      const value = tf.tidy(() => this.loss(this.prediction(batchIndex), target).dataSync()[0]);
      return { loss: finiteOrNull(value), gradNorm: null, outcome: 'no-gradient' };
    }
    const [loss, norm] = computed.stats.dataSync();
    let outcome: StepOutcome;
    if (!Number.isFinite(norm))
      outcome = 'non-finite-gradient'; // skipped: NaN weights would end every later measurement
    else if (norm === 0) outcome = 'zero-gradient';
    else {
      this.optimizer.apply(computed.grads);
      outcome = 'updated';
    }
    tf.dispose([computed.stats, ...Object.values(computed.grads)]);
    return { loss: finiteOrNull(loss), gradNorm: finiteOrNull(norm), outcome };
  }

  private record(step: number, { loss, gradNorm, outcome }: StepRecord): void {
    this.curves.loss.push(loss);
    this.curves.gradNorm.push(gradNorm);
    this.stepsRun = step;
    if (outcome === 'no-gradient') this.gradient.noGradientSteps++;
    if (outcome === 'zero-gradient') this.gradient.zeroGradientSteps++;
    if (outcome === 'non-finite-gradient') this.gradient.nonFiniteGradientSteps++;
    if (loss === null) this.gradient.nonFiniteLossSteps++;
    if ((loss === null || outcome === 'non-finite-gradient') && this.gradient.firstNonFiniteStep === null)
      this.gradient.firstNonFiniteStep = step;
  }

  /**
   * Metrics of the current model on the evaluation images, with a mask snapshot when `snapshot` is
   * set. `known`: the measurement of an identical model (every run starts from the same weights, so
   * one measurement of step 0 serves all).
   */
  evaluate(step: number, snapshot: boolean, known?: Measurement): Measurement {
    const start = performance.now();
    const site = snapshot ? this.settings.snapshotSite : undefined;
    const previous = this.curves.evaluations.at(-1);
    const previousSnapshot = this.snapshots.at(-1);
    let measured: Measurement;
    if (known) measured = known;
    // A frozen model scores and predicts what it did before.
    else if (this.frozen && previous && (!site || previousSnapshot)) {
      measured = {
        evaluation: { ...previous, step },
        ...(site && previousSnapshot ? { snapshot: { ...previousSnapshot, step } } : {}),
      };
    } else measured = evaluateModel(this.model, this.settings.data, step, this.settings.connectivity, site);
    this.curves.evaluations.push(measured.evaluation);
    if (measured.snapshot) this.snapshots.push(measured.snapshot);
    this.timeMs += performance.now() - start;
    return measured;
  }

  /** A snapshot at `step` unless the last one is from that step (a cancelled run's last evaluation). */
  snapshotIfMissing(step: number): void {
    const site = this.settings.snapshotSite;
    if (!site || this.snapshots.at(-1)?.step === step) return;
    const start = performance.now();
    const previous = this.snapshots.at(-1);
    this.snapshots.push(
      this.frozen && previous ? { ...previous, step } : snapshotModel(this.model, this.settings.data, step, site),
    );
    this.timeMs += performance.now() - start;
  }

  result(): RunResult {
    return {
      name: this.name,
      role: this.role,
      status: this.status,
      ...(this.error ? { error: this.error } : {}),
      stepsRun: this.stepsRun,
      curves: this.curves,
      final: this.curves.evaluations.at(-1)!,
      gradient: this.gradient,
      snapshots: this.snapshots,
      timeMs: Math.round(this.timeMs),
    };
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
  }
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);
