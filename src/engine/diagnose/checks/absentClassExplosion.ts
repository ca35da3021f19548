// absent-class-explosion: inverse-volume class weights (1/count, 1/count²) that blow up when a
// class is missing from the batch. Compares the loss and its gradient with and without the class:
// the weights are the evidence, the loss and its gradient the verdict.
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { isElementwise } from '../../python/opKinds';
import type { TraceEntry } from '../../python/trace';
import { guardInfiniteWeights } from '../edits';
import { callSiteOf } from '../queries/callSite';
import { fromPrediction } from '../queries/origin';
import { heaviestClassWeights, weightRatio } from '../queries/classWeights';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'absent-class-explosion',
  severity: 'error',
  title: 'Class weights explode when a class is absent',
  message:
    'inverse-volume weight for an absent class is {weightRatio}× the largest present one; loss {lossAbsent} vs ' +
    '{lossPresent}',
  explanation:
    'Generalized Dice weights each class by 1/count (or 1/count²). When a class does not occur in a batch its ' +
    'count is 0, and even with a small epsilon the weight becomes enormous: that class dominates the loss and ' +
    'its gradient, and the network collapses to predicting background (or the loss turns into NaN/Inf).',
  fix:
    'Guard the weights: set the weight of absent classes to 0 (or to the largest finite weight), or add a ' +
    'reasonable smoothing term to the counts.',
  example: {
    bug: `import torch

def generalized_dice_loss(probs, onehot):
    w = 1.0 / onehot.sum(dim=(0, 2, 3)) ** 2  # Inf for a class absent from the batch
    inter = (w * (probs * onehot).sum(dim=(0, 2, 3))).sum()
    union = (w * (probs + onehot).sum(dim=(0, 2, 3))).sum()
    return 1 - 2 * inter / union
`,
    fixed: `import torch

def generalized_dice_loss(probs, onehot):
    w = 1.0 / onehot.sum(dim=(0, 2, 3)) ** 2
    w = torch.where(torch.isinf(w), torch.nan_to_num(w, posinf=0.0).amax(dim=-1, keepdim=True), w)
    inter = (w * (probs * onehot).sum(dim=(0, 2, 3))).sum()
    union = (w * (probs + onehot).sum(dim=(0, 2, 3))).sum()
    return 1 - 2 * inter / union
`,
  },
});

/**
 * Whether a product of the weights with per-class sums is almost all the absent class's: its huge
 * weight times the prediction's mass there drowns every present class in that weighted sum (the
 * Dice part then barely responds, even when another term, a cross-entropy, keeps the gradient
 * alive). A weight that multiplies zeros (weighted cross-entropy on an absent class) does not.
 */
function drownsOthers(trace: readonly TraceEntry[], weights: TraceEntry, absentClass: number): boolean {
  return trace.some((e) => {
    if (!e.inputProducers.includes(weights.index) || !isElementwise(e.kind, 'mul') || !e.values) return false;
    if (e.values.length !== weights.values?.length) return false;
    // Weights times a per-class sum of the prediction, not times a constant (a rescaling of the weights).
    const other = e.inputs[e.inputProducers[0] === weights.index ? 1 : 0];
    if (!other || !fromPrediction(other) || other.shape.reduce((a, b) => a * b, 1) !== e.values.length) return false;
    const total = e.values.reduce((acc, v) => acc + Math.abs(v), 0);
    return total > 0 && Math.abs(e.values[absentClass]) > 0.99 * total;
  });
}

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  const classes = subject.contract.classes ?? 2;
  if (classes < 2) return [];
  // The last class first; a loss that weighs only some classes (idc=[0, 1]) shows it on another.
  for (let absentClass = classes - 1; absentClass >= 1; absentClass--) {
    const found = explosionWith(subject, classes, absentClass);
    if (found) return [found];
  }
  return [];
}

function explosionWith(subject: LossSubject, classes: number, absentClass: number) {
  const present = subject.evaluate('random');
  const absent = subject.evaluate('random', { absentClasses: [absentClass] });
  const heaviest = heaviestClassWeights(absent.trace, classes);
  if (!heaviest) return undefined;
  const ratio = weightRatio(heaviest.values!);
  const gradPresent = present.gradNorm ?? 0;
  const gradAbsent = absent.gradNorm ?? 0;
  // The weights alone do not decide: an absent class's huge weight may multiply only zeros (weighted
  // cross-entropy) or be replaced before use (MONAI's guard). It matters when the loss goes NaN/Inf,
  // its gradient explodes, or the absent class's weight drowns the others and the gradient vanishes.
  const gradientRatio = gradPresent > 0 ? gradAbsent / gradPresent : 1;
  const exploded =
    !Number.isFinite(absent.value) ||
    !Number.isFinite(gradAbsent) ||
    (ratio > 1e3 && (gradientRatio > 100 || gradientRatio < 1e-2 || drownsOthers(absent.trace, heaviest, absentClass)));
  if (!exploded) return undefined;
  // An Inf weight has a safe edit (weight 0 for the absent class); a huge finite one (clamped at ε) needs a rewrite.
  const infinite = heaviest.values!.some((v) => !Number.isFinite(v));
  const classAxis = heaviest.output.shape.lastIndexOf(classes) - heaviest.output.shape.length;
  const { module } = subject.program;
  const { framework } = subject.contract;
  const edit = infinite ? guardInfiniteWeights(module, heaviest.range, framework, classAxis) : undefined;
  return makeFinding(
    rule,
    heaviest.range,
    {
      weightRatio: Number.isFinite(ratio) ? ratio : 'Inf',
      weights: heaviest.values!.map((v) => Number(v.toPrecision(3))),
      lossAbsent: absent.value,
      lossPresent: present.value,
      gradNormAbsent: absent.gradNorm,
      gradNormPresent: present.gradNorm,
      absentClass,
    },
    { related: callSiteOf(heaviest), edit },
  );
}
