// A hand-written gradient (an autograd Function's backward, a tf.custom_gradient grad_fn, a Caffe
// layer's backward) against the gradient of its own forward pass: the loss's gradient with respect
// to the prediction computed both ways on synthetic inputs, and central finite differences along
// their difference to tell which one the loss's values agree with.
import type { Evaluation } from '../../program';
import { InterpreterError } from '../../python/errors';
import type { HandGradientUse } from '../../python/handGradients';
import type { LossSubject } from '../subject';
import { type PredictionKind, type SyntheticOptions, syntheticInputs } from '../synthetic';
import { gradientCuts, valueAncestors } from './gradient';

/** A relative error above this is a disagreement (float32 noise is orders of magnitude below). */
export const REL_TOLERANCE = 1e-2;

export interface GradientCase {
  name: string;
  prediction: PredictionKind;
  options: SyntheticOptions;
}

/** The inputs the gradients are compared on: random predictions, an empty mask, an absent class. */
export function gradientCases(subject: LossSubject): GradientCase[] {
  const { prediction, classes = 2 } = subject.contract;
  const cases: GradientCase[] = [
    { name: `random ${prediction}`, prediction: 'random', options: {} },
    { name: `random ${prediction} (second draw)`, prediction: 'random', options: { seed: 11 } },
    { name: 'empty mask (no foreground)', prediction: 'random', options: { emptyTarget: true } },
  ];
  // With two classes (or one sigmoid channel) the absent class is the empty mask.
  if (classes >= 3)
    cases.push({
      name: `class ${classes - 1} absent`,
      prediction: 'random',
      options: { absentClasses: [classes - 1] },
    });
  return cases;
}

export interface GradientComparison {
  inputCase: GradientCase;
  hand: Float32Array;
  auto: Float32Array;
  shape: number[];
  /** ‖hand − auto‖ / ‖auto‖. */
  relErr: number;
  /** Flat index of the element where the two differ most. */
  worst: number;
  /** The hand-written gradients the evaluation used, with where their backward returned. */
  uses: HandGradientUse[];
}

const norm = (v: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  return Math.sqrt(sum);
};

const finite = (v: ArrayLike<number>) => {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
};

/**
 * A forward that runs only untracked, or an input it rejects, leaves nothing to compare: the loss's
 * own evaluation stands (cancellation still ends the diagnosis).
 */
function unlessFails<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (error instanceof InterpreterError && error.kind === 'cancelled') throw error;
    return undefined;
  }
}

/**
 * A forward pass that itself cuts the gradient on the way to the value (round, a threshold): its
 * automatic gradient is not the one the backward means to give (a straight-through estimator).
 */
function forwardCutsGradient(hand: Evaluation, auto: Evaluation): boolean {
  const handCuts = new Set(gradientCuts(hand.trace).map((e) => `${e.op}@${e.range.line}:${e.range.column}`));
  const ancestors = valueAncestors(auto.trace, auto.resultProducer);
  return gradientCuts(auto.trace).some(
    (e) => ancestors.has(e.index) && !handCuts.has(`${e.op}@${e.range.line}:${e.range.column}`),
  );
}

/**
 * Both gradients on one input case; undefined when there is nothing to compare (no hand-written
 * gradient used, no gradient either way, NaN/Inf, a forward that is not differentiable itself).
 */
export function compareGradients(subject: LossSubject, inputCase: GradientCase): GradientComparison | undefined {
  const hand = unlessFails(() => subject.evaluate(inputCase.prediction, inputCase.options));
  if (!hand?.handGradients.length || !hand.gradient || !Number.isFinite(hand.value) || !finite(hand.gradient))
    return undefined;
  const auto = unlessFails(() => subject.evaluateAutodiff(inputCase.prediction, inputCase.options));
  if (!auto?.gradient || !Number.isFinite(auto.value) || !finite(auto.gradient)) return undefined;
  if (Math.abs(auto.value - hand.value) > 1e-4 * Math.max(1, Math.abs(hand.value))) return undefined; // another loss
  if (forwardCutsGradient(hand, auto)) return undefined;
  const diff = hand.gradient.map((h, i) => h - auto.gradient![i]);
  const autoNorm = norm(auto.gradient);
  const diffNorm = norm(diff);
  const scale = Math.max(autoNorm, 1e-12);
  let worst = 0;
  for (let i = 1; i < diff.length; i++) if (Math.abs(diff[i]) > Math.abs(diff[worst])) worst = i;
  return {
    inputCase,
    hand: hand.gradient,
    auto: auto.gradient,
    shape: hand.gradientShape,
    relErr: diffNorm === 0 ? 0 : diffNorm / scale,
    worst,
    uses: hand.handGradients,
  };
}

export interface FiniteDifference {
  /** (L(x + h·d) − L(x − h·d)) / 2h along d = (hand − auto) / ‖hand − auto‖. */
  slope: number;
  autoSlope: number;
  handSlope: number;
  step: number;
  /** Which gradient the loss's values agree with. */
  agrees: 'auto' | 'hand';
}

const STEPS = [1e-2, 3e-2, 1e-1, 3e-1, 1];

/**
 * Central finite differences of the loss along the direction in which the two gradients differ:
 * there they predict slopes ‖hand − auto‖ apart, so the loss's values tell which one is right. A
 * step counts when float32 rounding of the values cannot blur the difference, and the slope at
 * twice the step (less noise, more curvature) sides with the same gradient. Undefined when no step
 * resolves it (non-finite values, noise).
 */
export function finiteDifference(subject: LossSubject, comparison: GradientComparison): FiniteDifference | undefined {
  const { hand, auto, inputCase } = comparison;
  const diff = hand.map((h, i) => h - auto[i]);
  const distance = norm(diff);
  if (!(distance > 0)) return undefined;
  const direction = diff.map((v) => v / distance);
  const dot = (v: Float32Array) => v.reduce((acc, x, i) => acc + x * direction[i], 0);
  const [autoSlope, handSlope] = [dot(auto), dot(hand)];
  const inputs = syntheticInputs(subject.contract, inputCase.prediction, inputCase.options);
  const prediction = inputs.prediction as { data: Float32Array; shape: number[] };
  const valueAt = (step: number) =>
    unlessFails(() =>
      subject.valueAt({
        ...inputs,
        prediction: { data: prediction.data.map((x, i) => x + step * direction[i]), shape: prediction.shape },
      }),
    ) ?? NaN;
  const base = Math.abs(subject.valueAt(inputs));
  const margin = 0.25 * (handSlope - autoSlope);
  const slopeAt = (step: number) => {
    const [plus, minus] = [valueAt(step), valueAt(-step)];
    if (!Number.isFinite(plus) || !Number.isFinite(minus)) return undefined;
    // float32 rounding of the loss's values, magnified by the step
    const noise = (2e-6 * Math.max(base, Math.abs(plus), Math.abs(minus), 1e-3)) / step;
    if (margin <= noise) return undefined;
    const slope = (plus - minus) / (2 * step);
    return Math.abs(slope - autoSlope) <= margin ? 'auto' : Math.abs(slope - handSlope) <= margin ? 'hand' : undefined;
  };
  for (const step of STEPS) {
    const side = slopeAt(step);
    if (!side || slopeAt(2 * step) !== side) continue;
    const slope = (valueAt(step) - valueAt(-step)) / (2 * step);
    return { slope, autoSlope, handSlope, step, agrees: side };
  }
  return undefined;
}

/**
 * The hand-written gradient(s) to blame: the only one, else those whose replacement by automatic
 * differentiation alone brings the loss's gradient to the automatic one.
 */
export function culprits(subject: LossSubject, comparison: GradientComparison): HandGradientUse[] {
  const { uses, inputCase, auto } = comparison;
  if (uses.length === 1) return uses;
  const blamed = uses.filter((use) => {
    const alone = unlessFails(() =>
      subject.evaluateAutodiff(inputCase.prediction, inputCase.options, use.key),
    )?.gradient;
    if (!alone) return false;
    const off = norm(alone.map((g, i) => g - auto[i]));
    return off <= REL_TOLERANCE * Math.max(norm(auto), 1e-12);
  });
  return blamed.length ? blamed : uses;
}

/** A flat index as the element's coordinates in `shape`. */
export function coordinates(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = rest % shape[d];
    rest = Math.floor(rest / shape[d]);
  }
  return out;
}
