// class-weights-cancel (warning): a generalized Dice that multiplies each class's numerator and
// denominator by the class weight and divides per class, before any sum over the classes: the
// weights cancel, and the loss is a plain mean of per-class Dice scores, not what its author wrote.
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { isElementwise } from '../../python/opKinds';
import type { TraceEntry } from '../../python/trace';
import { callSiteOf } from '../queries/callSite';
import { labelWeights, weightRatio, weightsAsUsed } from '../queries/classWeights';
import { fromPrediction, fromTarget } from '../queries/origin';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'class-weights-cancel',
  severity: 'warning',
  title: 'The class weights cancel out',
  message:
    "the class weights multiply both the numerator and the denominator of each class's ratio (`{op}` per " +
    'class): they cancel, and this is a plain mean of per-class Dice',
  explanation:
    'Generalized Dice weighs each class by w = 1/volume (or 1/volume²) and divides the weighted sums over all ' +
    "classes: 2·Σ w·intersection / Σ w·union. Dividing each class's weighted numerator by its own weighted " +
    'denominator first gives w·I / (w·U) = I / U for every class: the weights do nothing, small classes get no ' +
    'extra weight, and the loss is the unweighted mean Dice the weights were meant to replace.',
  fix:
    'Sum the weighted numerator and the weighted denominator over the class axis before dividing: ' +
    '1 - 2 * sum(w * intersection) / sum(w * union).',
  example: {
    bug: `import torch

def generalized_dice_loss(probs, onehot, eps=1e-6):
    w = 1.0 / (onehot.sum(dim=(2, 3)) ** 2 + eps)
    inter = (probs * onehot).sum(dim=(2, 3))
    union = (probs + onehot).sum(dim=(2, 3))
    return 1 - (2 * w * inter / (w * union + eps)).mean()  # per class: w cancels
`,
    fixed: `import torch

def generalized_dice_loss(probs, onehot, eps=1e-6):
    w = 1.0 / (onehot.sum(dim=(2, 3)) ** 2 + eps)
    inter = (probs * onehot).sum(dim=(2, 3))
    union = (probs + onehot).sum(dim=(2, 3))
    return 1 - (2 * (w * inter).sum(dim=1) / ((w * union).sum(dim=1) + eps)).mean()
`,
  },
});

/** Whether a tensor is a constant of the loss (2, an epsilon): derived from neither input. */
const constant = (t: TraceEntry['inputs'][number]) => !fromPrediction(t) && !fromTarget(t);

/** Whether trace entry `index` is the weights, or the weights scaled by a constant (2 * w, w / 2). */
function scaledWeights(trace: readonly TraceEntry[], index: number, weights: Set<number>, depth = 0): boolean {
  if (weights.has(index)) return true;
  const entry = trace[index];
  if (!entry || depth > 4 || !isElementwise(entry.kind, 'mul', 'div')) return false;
  const [a, b] = entry.inputProducers;
  const [ta, tb] = entry.inputs;
  return (
    (constant(tb) && scaledWeights(trace, a, weights, depth + 1)) ||
    (isElementwise(entry.kind, 'mul') && constant(ta) && scaledWeights(trace, b, weights, depth + 1))
  );
}

/**
 * The product with the weights an operand of a division comes from, through scalings and shifts by
 * constants (2 * w·I, w·U + ε); undefined when anything else is in between.
 */
function weightedProduct(trace: readonly TraceEntry[], index: number, weights: Set<number>): TraceEntry | undefined {
  for (let entry = trace[index], steps = 0; entry && steps < 6; steps++) {
    if (!isElementwise(entry.kind, 'mul', 'add', 'sub')) return undefined;
    if (isElementwise(entry.kind, 'mul')) {
      const side = entry.inputProducers.findIndex((p) => scaledWeights(trace, p, weights));
      const other = entry.inputs[1 - side];
      if (side >= 0 && other && fromPrediction(other)) return entry;
    }
    const variable = entry.inputs.findIndex((t) => !constant(t));
    if (variable < 0 || entry.inputs.some((t, i) => i !== variable && !constant(t))) return undefined;
    entry = trace[entry.inputProducers[variable]];
  }
  return undefined;
}

/** The weights and the label-only tensors of their shape computed from them (guards, rescalings). */
function weightVersions(trace: readonly TraceEntry[], weights: TraceEntry): Set<number> {
  const shape = weights.output.shape.join(',');
  const versions = new Set([weights.index]);
  for (const e of trace) {
    if (e.index <= weights.index || fromPrediction(e.output) || e.output.shape.join(',') !== shape) continue;
    if (e.inputProducers.some((p) => versions.has(p))) versions.add(e.index);
  }
  return versions;
}

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  const classes = subject.contract.classes ?? 2;
  if (classes < 2) return [];
  const { trace } = subject.inspect('random');
  for (const candidate of labelWeights(trace, classes)) {
    const weights = weightsAsUsed(trace, candidate);
    // Uniform weights cancelling changes nothing.
    if (!weights.values || weightRatio(weights.values) < 1.01) continue;
    const size = weights.values.length;
    const versions = weightVersions(trace, candidate);
    for (const division of trace) {
      if (!isElementwise(division.kind, 'div') || division.inputProducers.length < 2) continue;
      const numerator = weightedProduct(trace, division.inputProducers[0], versions);
      const denominator = weightedProduct(trace, division.inputProducers[1], versions);
      if (!numerator || !denominator || numerator === denominator) continue;
      // Per class: the ratio still has an entry per weight (the class axis was not summed first).
      const elements = division.output.shape.reduce((a, b) => a * b, 1);
      if (elements < size || !division.output.shape.some((d) => d === weights.output.shape.at(-1))) continue;
      return [makeFinding(rule, division.range, { op: division.op }, { related: callSiteOf(division) })];
    }
  }
  return [];
}
