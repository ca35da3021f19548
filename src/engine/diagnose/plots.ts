// Numbers for the report's plots, from the same synthetic inputs the checks use: the loss along
// the path from a random to a perfect prediction (shows sign errors, unreachable minima), and the
// gradient per class channel and on foreground vs background pixels (shows cut gradients, ignored
// classes, exploding weights), and the per-class weights the loss computes from the labels.
import { textOf } from '../python/walk';
import { heaviestClassWeights, sameOp, weightsAsUsed, weightsPerClass } from './queries/classWeights';
import { type GradientComparison, REL_TOLERANCE, compareGradients, gradientCases } from './queries/handGradient';
import type { LossSubject } from './subject';
import { channelOffset, labelMap } from './synthetic';

export interface LossPlots {
  response: { towardsPerfect: number[]; loss: (number | null)[] };
  /** L2 norm of d(loss)/d(prediction) per class channel (random prediction). */
  gradientByClass: number[] | null;
  /** Mean |d(loss)/d(prediction)| on foreground and on background pixels. */
  gradientForeground: number | null;
  gradientBackground: number | null;
  /** Per-class weights the loss computes (generalized Dice, weighted CE...), when it has them. */
  classWeights: ClassWeights | null;
  /** A hand-written gradient against the gradient of its forward pass, when the loss uses one. */
  gradientCheck: GradientCheck | null;
}

/**
 * d(loss)/d(prediction) element by element, from the hand-written backward and from automatic
 * differentiation of the forward, on the first input case where they disagree (else random inputs).
 */
export interface GradientCheck {
  /** The hand-written gradients (Function classes, custom_gradient functions, Caffe layers). */
  name: string;
  /** Where the backward gives its gradient (its return, the diff assignment). */
  line: number;
  inputCase: string;
  /** ‖hand − auto‖ / ‖auto‖ over every element. */
  relErr: number;
  /** Elements of the prediction; the plot shows at most MAX_GRADIENT_POINTS of them. */
  elements: number;
  /** Flat indices of the plotted elements, with both gradients there. */
  index: number[];
  auto: number[];
  hand: number[];
  /** The element where they differ most (one of the plotted ones). */
  worst: number;
}

export const MAX_GRADIENT_POINTS = 512;

/**
 * Weights per (batch, class) are averaged over the batch (over every axis but the class axis), so
 * each class has one value.
 */
export interface ClassWeights {
  /** Where the weights are computed and how the source spells them. */
  line: number;
  expression: string;
  /** Weight per class on the synthetic batch where every class is present (null: NaN/Inf). */
  allPresent: (number | null)[];
  /** Weight per class on the batch where `absentClass` is missing (null: no such evaluation). */
  oneAbsent: (number | null)[] | null;
  absentClass: number | null;
}

const STEPS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

export function lossPlots(subject: LossSubject): LossPlots {
  const loss = STEPS.map((t) => {
    const value = subject.evaluate('random', { towardsPerfect: t }).value;
    return Number.isFinite(value) ? value : null;
  });
  const { contract } = subject;
  const gradient = subject.evaluate('random').gradient;
  const plots: LossPlots = {
    response: { towardsPerfect: STEPS, loss },
    gradientByClass: null,
    gradientForeground: null,
    gradientBackground: null,
    classWeights: classWeightsOf(subject),
    gradientCheck: gradientCheckOf(subject),
  };
  if (!gradient) return plots;
  const channels = contract.classes ?? 2;
  const { labels, spatial, batch } = labelMap(channels === 1 ? { ...contract, classes: 2 } : contract);
  const pixels = spatial.reduce((a, b) => a * b, 1);
  const byClass = new Array<number>(channels).fill(0);
  let foreground = 0;
  let background = 0;
  let foregroundCount = 0;
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < pixels; p++) {
      const isForeground = labels[b * pixels + p] > 0;
      for (let c = 0; c < channels; c++) {
        const g = gradient[channelOffset(contract, b, c, p, channels, pixels)];
        byClass[c] += g * g;
        if (isForeground) foreground += Math.abs(g);
        else background += Math.abs(g);
      }
      if (isForeground) foregroundCount++;
    }
  }
  const backgroundCount = batch * pixels - foregroundCount;
  plots.gradientByClass = byClass.map(Math.sqrt);
  plots.gradientForeground = foregroundCount ? foreground / (foregroundCount * channels) : null;
  plots.gradientBackground = backgroundCount ? background / (backgroundCount * channels) : null;
  return plots;
}

/**
 * The loss's class weights on the all-present batch and on the batch without the last class (the
 * absent-class check's). The tensor is picked on the latter, as the check picks it, so the plot
 * shows the weights a finding points at; failing that (weights computed only when all classes are
 * present), on the former. One sigmoid channel has no class axis: no weights.
 */
function classWeightsOf(subject: LossSubject): ClassWeights | null {
  const classes = subject.contract.classes ?? 2;
  if (classes < 2) return null;
  const absentClass = classes - 1;
  const present = subject.inspect('random');
  const absent = subject.evaluate('random', { absentClasses: [absentClass] });
  let withoutClass = heaviestClassWeights(absent.trace, classes);
  let allPresent = withoutClass && sameOp(present.trace, withoutClass, absent.trace);
  if (!allPresent) {
    allPresent = heaviestClassWeights(present.trace, classes);
    withoutClass = allPresent && sameOp(absent.trace, allPresent, present.trace);
  }
  if (!allPresent) return null;
  // Plot what the loss multiplies by: the weights after any guard, in both evaluations.
  const usedPresent = weightsAsUsed(present.trace, allPresent);
  allPresent = usedPresent;
  if (withoutClass) withoutClass = sameOp(absent.trace, usedPresent, present.trace) ?? withoutClass;
  return {
    line: allPresent.range.line,
    expression: textOf(subject.program.source, allPresent.range),
    allPresent: weightsPerClass(allPresent, classes),
    oneAbsent: withoutClass ? weightsPerClass(withoutClass, classes) : null,
    absentClass: withoutClass ? absentClass : null,
  };
}

/** The hand-written gradient against the automatic one: a sample of elements (the worst included). */
function gradientCheckOf(subject: LossSubject): GradientCheck | null {
  if (!subject.evaluate('random').handGradients.length) return null;
  let shown: GradientComparison | undefined;
  for (const inputCase of gradientCases(subject)) {
    const comparison = compareGradients(subject, inputCase);
    if (!comparison) continue;
    shown ??= comparison;
    if (comparison.relErr > REL_TOLERANCE) {
      shown = comparison;
      break;
    }
  }
  if (!shown) return null;
  const { hand, auto, worst, relErr, uses, inputCase } = shown;
  const elements = hand.length;
  const count = Math.min(elements, MAX_GRADIENT_POINTS);
  const index = Array.from({ length: count }, (_, i) => Math.floor((i * elements) / count));
  if (!index.includes(worst)) {
    index[Math.min(count - 1, Math.floor((worst * count) / elements))] = worst;
    index.sort((a, b) => a - b);
  }
  const use = uses[0];
  return {
    name: [...new Set(uses.map((u) => u.name))].join(', '),
    line: (use.backward ?? use.definition).line,
    inputCase: inputCase.name,
    relErr,
    elements,
    index,
    auto: index.map((i) => auto[i]),
    hand: index.map((i) => hand[i]),
    worst,
  };
}
