// Verdicts from the training curves: what went wrong when the user's loss trained, judged against
// reference losses trained on the same data from the same initial model (a reference that learns
// proves the data is learnable, so the loss is the difference). Each detector returns a plain-JSON
// finding with the numbers behind it, or nothing. A finding that is the consequence of another
// (no Dice gain because training diverged) is reported once, as its cause.
import { type EvidenceValue, type Finding, makeFinding } from '../diagnose/findings';
import type { SourceRange } from '../python/ast';
import { type Severity, fillTemplate, formatNumber, ruleFor } from '../diagnose/rules';
import type { RunResult } from './types';

export type ProbeFindingKind = 'training-diverged' | 'no-learning' | 'collapse-to-background' | 'metric-flat' | 'false-positive-flood';
/** The rules only a training probe reports (static diagnosis never does). */
export const PROBE_FINDING_KINDS: readonly ProbeFindingKind[] = ['collapse-to-background', 'metric-flat', 'false-positive-flood', 'training-diverged', 'no-learning'];

export interface ProbeFinding {
  kind: ProbeFindingKind;
  severity: Severity;
  /** The loss the finding is about (the user's). */
  loss: string;
  title: string;
  message: string;
  evidence: Record<string, EvidenceValue>;
  explanation: string;
  fix: string;
}

/** A reference "learns" when its foreground Dice ends at least here and rose by at least LEARNING_GAIN. */
const LEARNED_DICE = 0.3;
const LEARNING_GAIN = 0.1;
/** Predicting under a tenth of the true foreground is a collapse, not an under-segmentation. */
const COLLAPSE_RATIO = 0.1;
/** The loss "falls" by this fraction of its start; the Dice is "flat" below this gain. */
const LOSS_DROP = 0.1;
const FLAT_DICE_GAIN = 0.05;
/** "Moves" for no-learning: 1 % of the loss, or 0.02 of Dice or of the foreground fraction. */
const MOVING_LOSS = 0.01;
const MOVING_METRIC = 0.02;
/** A loss that grows 1000× over its start has exploded. */
const EXPLOSION_FACTOR = 1e3;

function finding(kind: ProbeFindingKind, run: RunResult, evidence: Record<string, EvidenceValue>): ProbeFinding {
  const rule = ruleFor(kind);
  return { kind, severity: rule.severity, loss: run.name, title: rule.title, message: fillTemplate(rule.message, evidence), evidence, explanation: rule.explanation, fix: fillTemplate(rule.fix, evidence) };
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const finite = (values: (number | null)[]) => values.filter((v): v is number => v !== null);
const round = (value: number, digits = 4) => Number(value.toPrecision(digits));
const percent = (fraction: number) => round(100 * fraction, 3);

/**
 * Mean loss over the first and the last window of steps. The window covers whole passes over the
 * training batches, so per-batch differences (an empty batch scores differently) cancel out.
 */
export function lossTrend(run: RunResult, batches: number): { start: number | null; end: number | null } {
  const losses = run.curves.loss;
  const wanted = Math.max(5, Math.round(0.1 * losses.length));
  const passes = Math.max(1, Math.min(Math.ceil(wanted / batches), Math.floor(losses.length / 2 / batches)));
  const window = Math.min(passes * batches, losses.length);
  return { start: mean(finite(losses.slice(0, window))), end: mean(finite(losses.slice(losses.length - window))) };
}

const learns = (run: RunResult) => run.final.foregroundDice >= LEARNED_DICE && run.final.foregroundDice - run.curves.evaluations[0].foregroundDice >= LEARNING_GAIN;

/**
 * Whether the data and model are learnable within the budget: most references learn. When one
 * stands out (a tiny U-Net in a few hundred steps learns with cross-entropy, not with Dice alone),
 * comparing the user's loss with it would blame the loss for the budget.
 */
export function referencesLearn(references: RunResult[]): boolean {
  const usable = references.filter((r) => r.status !== 'failed');
  return usable.length > 0 && 2 * usable.filter(learns).length >= usable.length;
}

/** The reference that segments best, among those that learn; none when most references do not. */
function bestLearningReference(references: RunResult[]): RunResult | undefined {
  if (!referencesLearn(references)) return undefined;
  return references.filter((r) => r.status !== 'failed' && learns(r)).sort((a, b) => b.final.foregroundDice - a.final.foregroundDice)[0];
}

export function detectDivergence(run: RunResult, batches: number): ProbeFinding | undefined {
  const { nonFiniteLossSteps, nonFiniteGradientSteps, firstNonFiniteStep } = run.gradient;
  if (nonFiniteLossSteps + nonFiniteGradientSteps > 0) {
    const what = nonFiniteLossSteps > 0 ? 'the loss' : 'the gradient';
    return finding('training-diverged', run, {
      detail: `${what} is NaN/Inf from step ${firstNonFiniteStep} (${Math.max(nonFiniteLossSteps, nonFiniteGradientSteps)} of ${run.stepsRun} steps)`,
      firstNonFiniteStep,
      nonFiniteLossSteps,
      nonFiniteGradientSteps,
      steps: run.stepsRun,
    });
  }
  const { start } = lossTrend(run, batches);
  const values = finite(run.curves.loss);
  if (start === null || !values.length) return undefined;
  const peak = values.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
  const scale = Math.max(Math.abs(start), 1e-3);
  if (Math.abs(peak) < EXPLOSION_FACTOR * scale) return undefined;
  return finding('training-diverged', run, {
    detail: `the loss explodes from ${formatNumber(start)} to ${formatNumber(peak)}`,
    lossStart: round(start),
    lossPeak: round(peak),
    steps: run.stepsRun,
  });
}

export function detectNoLearning(run: RunResult, references: RunResult[], batches: number): ProbeFinding | undefined {
  const first = run.curves.evaluations[0];
  const { start, end } = lossTrend(run, batches);
  const steps = run.stepsRun;
  const withoutGradient = run.gradient.noGradientSteps + run.gradient.zeroGradientSteps;
  const diceChange = run.final.foregroundDice - first.foregroundDice;
  const fractionChange = run.final.predictedForeground - first.predictedForeground;
  const lossMoves = start !== null && end !== null && Math.abs(end - start) >= MOVING_LOSS * Math.max(Math.abs(start), 1e-8);
  const metricMoves = Math.abs(diceChange) >= MOVING_METRIC || Math.abs(fractionChange) >= MOVING_METRIC;
  const noGradient = steps > 0 && withoutGradient === steps;
  if (!noGradient && (lossMoves || metricMoves)) return undefined;
  const reference = bestLearningReference(references);
  // Without a gradient the verdict stands alone; a merely flat run counts only when the data is learnable.
  if (!noGradient && references.length > 0 && !reference) return undefined;
  const detail = run.gradient.noGradientSteps === steps
    ? ': no gradient path from the model to the loss'
    : noGradient
      ? ': the gradient is zero at every step'
      : reference
        ? `; ${reference.name} reaches Dice ${formatNumber(reference.final.foregroundDice)}`
        : '';
  return finding('no-learning', run, {
    steps,
    lossStart: start === null ? null : round(start),
    lossEnd: end === null ? null : round(end),
    diceStart: round(first.foregroundDice),
    diceEnd: round(run.final.foregroundDice),
    stepsWithoutGradient: withoutGradient,
    detail,
    ...(reference ? { reference: reference.name, referenceDice: round(reference.final.foregroundDice) } : {}),
  });
}

/** The first evaluation step from which the predicted fraction of `c` stays under the collapse threshold. */
function collapseStep(run: RunResult, c: number): number {
  const evaluations = run.curves.evaluations;
  let step = run.final.step;
  for (let i = evaluations.length - 1; i >= 0; i--) {
    if (evaluations[i].predictedPerClass[c] >= COLLAPSE_RATIO * evaluations[i].truePerClass[c]) break;
    step = evaluations[i].step;
  }
  return step;
}

export function detectCollapse(run: RunResult, references: RunResult[]): ProbeFinding | undefined {
  const reference = bestLearningReference(references);
  if (!reference) return undefined;
  const final = run.final;
  // Classes the reference segments but this loss stops predicting.
  const collapsed: number[] = [];
  for (let c = 1; c < final.truePerClass.length; c++) {
    const referenceDice = reference.final.dicePerClass[c];
    if (final.truePerClass[c] > 0 && referenceDice !== null && referenceDice >= LEARNED_DICE && final.predictedPerClass[c] < COLLAPSE_RATIO * final.truePerClass[c]) collapsed.push(c);
  }
  if (!collapsed.length) return undefined;
  const everything = collapsed.length === final.truePerClass.length - 1;
  return finding('collapse-to-background', run, {
    what: everything ? 'foreground' : `class${collapsed.length > 1 ? 'es' : ''} ${collapsed.join(', ')}`,
    classes: collapsed,
    predictedPercent: percent(collapsed.reduce((acc, c) => acc + final.predictedPerClass[c], 0)),
    truePercent: percent(collapsed.reduce((acc, c) => acc + final.truePerClass[c], 0)),
    predictedForeground: round(final.predictedForeground),
    trueForeground: round(final.trueForeground),
    step: Math.max(...collapsed.map((c) => collapseStep(run, c))),
    dice: round(final.foregroundDice),
    reference: reference.name,
    referenceDice: round(reference.final.foregroundDice),
  });
}

export function detectMetricFlat(run: RunResult, references: RunResult[], batches: number): ProbeFinding | undefined {
  const { start, end } = lossTrend(run, batches);
  if (start === null || end === null) return undefined;
  const drop = (start - end) / Math.max(Math.abs(start), 1e-8);
  const diceStart = run.curves.evaluations[0].foregroundDice;
  const diceEnd = run.final.foregroundDice;
  if (drop < LOSS_DROP || diceEnd - diceStart >= FLAT_DICE_GAIN) return undefined;
  const reference = bestLearningReference(references);
  // With references, "flat" must also mean far behind one that learns.
  if (references.length > 0 && (!reference || reference.final.foregroundDice - diceEnd < 2 * LEARNED_DICE / 3)) return undefined;
  return finding('metric-flat', run, {
    lossStart: round(start),
    lossEnd: round(end),
    lossDropPercent: percent(drop),
    diceStart: round(diceStart),
    diceEnd: round(diceEnd),
    comparison: reference ? `; ${reference.name} reaches ${formatNumber(reference.final.foregroundDice)} on the same data` : '',
    ...(reference ? { reference: reference.name, referenceDice: round(reference.final.foregroundDice) } : {}),
  });
}

export function detectFalsePositiveFlood(run: RunResult, references: RunResult[], images: number): ProbeFinding | undefined {
  const reference = bestLearningReference(references);
  if (!reference) return undefined;
  const ours = run.final.lesions.falsePositives;
  const theirs = reference.final.lesions.falsePositives;
  // Far above: three times the reference's count and at least one extra per image.
  if (ours < 3 * theirs || ours - theirs < images) return undefined;
  return finding('false-positive-flood', run, {
    falsePositives: ours,
    referenceFalsePositives: theirs,
    images,
    truePositives: run.final.lesions.truePositives,
    trueLesions: run.final.lesions.trueLesions,
    predictedPercent: percent(run.final.predictedForeground),
    truePercent: percent(run.final.trueForeground),
    reference: reference.name,
  });
}

/**
 * All verdicts for the user's run. `batches` is the number of training batches (loss windows
 * cover whole passes); `images` the number of evaluation images (false positives per image).
 */
export function detectFindings(user: RunResult, references: RunResult[], images: number, batches: number): ProbeFinding[] {
  if (user.status === 'failed' || user.stepsRun === 0) return [];
  const diverged = detectDivergence(user, batches);
  if (diverged) return [diverged];
  const stalled = detectNoLearning(user, references, batches);
  if (stalled) return [stalled];
  const findings: ProbeFinding[] = [];
  const collapse = detectCollapse(user, references);
  if (collapse) findings.push(collapse);
  else {
    const flat = detectMetricFlat(user, references, batches);
    if (flat) findings.push(flat);
  }
  const flood = detectFalsePositiveFlood(user, references, images);
  if (flood) findings.push(flood);
  return findings;
}

/** A probe finding as a diagnosis finding, placed on the loss's definition (the probe has no line). */
export function probeFindingAt(probeFinding: ProbeFinding, range: SourceRange): Finding {
  return makeFinding(probeFinding.kind, range, probeFinding.evidence, { severity: probeFinding.severity, message: probeFinding.message, fixText: probeFinding.fix });
}
