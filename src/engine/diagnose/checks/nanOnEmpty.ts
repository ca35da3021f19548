// nan-on-empty: 0/0 when both the target and the prediction are empty (patches without lesions).
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import type { Evaluation } from '../../program';
import { isElementwise, isGuarded, isIndexing } from '../../python/opKinds';
import type { TraceEntry } from '../../python/trace';
import { smoothDivision } from '../edits';
import { callSiteOf } from '../queries/callSite';
import { fromPrediction } from '../queries/origin';
import { returnRange } from '../queries/returnSite';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'nan-on-empty',
  severity: 'error',
  title: 'NaN when target and prediction are both empty',
  message: 'the loss is {value} for an empty target and an empty prediction ({cause})',
  explanation:
    'Patches without any lesion are common. Without a smoothing term the Dice ratio becomes 0/0 there, and one ' +
    'NaN poisons every weight of the network at the next step.',
  fix:
    'Add a smoothing term to numerator and denominator: (2·|A∩B| + s) / (|A| + |B| + s), with s around 1 (or ' +
    '1e-5 for the numerator and denominator alike).',
  example: {
    bug: `import numpy as np

def dice_loss(y_true, y_pred):
    inter = np.sum(y_true * y_pred)
    return 1 - 2 * inter / (np.sum(y_true) + np.sum(y_pred))  # 0/0 on an empty patch
`,
    fixed: `import numpy as np

def dice_loss(y_true, y_pred, smooth=1.0):
    inter = np.sum(y_true * y_pred)
    return 1 - (2 * inter + smooth) / (np.sum(y_true) + np.sum(y_pred) + smooth)
`,
  },
});

/**
 * A one-hot multi-class target is never empty (its background channel is full), so when the class
 * count was not given, an empty single-channel (binary) mask is tried as well.
 */
function emptyEvaluation(subject: LossSubject): { evaluation: Evaluation; binary: boolean } | undefined {
  const own = subject.evaluate('empty', { emptyTarget: true });
  if (!Number.isFinite(own.value)) return { evaluation: own, binary: false };
  const { contract } = subject;
  const classesKnown = contract.sources.classes === 'given' || contract.sources.classes === 'context';
  if ((contract.classes ?? 2) === 1 || classesKnown) return undefined;
  // Written for several classes: an empty single-channel mask is not its input.
  if (isClassStructured(subject.evaluate('random').trace, contract.classes ?? 2)) return undefined;
  const binary = { ...contract, classes: 1 };
  try {
    const random = subject.evaluate('random', {}, binary).value;
    const perfect = subject.evaluate('perfect', {}, binary).value;
    if (!Number.isFinite(random) || !Number.isFinite(perfect)) return undefined;
    // A loss that cannot tell a perfect single-channel prediction from a random one (a categorical
    // cross-entropy renormalises one channel to 1) is not written for single-channel masks either.
    const spread = Math.max(Math.abs(random), Math.abs(perfect), 1e-6);
    if (Math.abs(random - perfect) <= 1e-3 * spread) return undefined;
    const evaluation = subject.evaluate('empty', { emptyTarget: true }, binary);
    return Number.isFinite(evaluation.value) ? undefined : { evaluation, binary: true };
  } catch {
    return undefined; // the loss is not written for single-channel masks
  }
}

/**
 * Whether the loss treats classes separately (per-class scores, picking channels), i.e. it is
 * written for a multi-class one-hot target and an all-empty single-channel mask is not its input.
 */
function isClassStructured(trace: readonly TraceEntry[], classes: number): boolean {
  return trace.some((e) => {
    if (!fromPrediction(e.output)) return false;
    const out = e.output.shape;
    if (out.length === 1 && out[0] === classes) return true;
    if (out.length === 2 && out.includes(classes)) return true;
    const input = e.inputs[0]?.shape;
    if (!isIndexing(e.kind, 'subscript') || input === undefined || out.length !== input.length - 1) return false;
    // The axis it picks must hold the classes (`pred[i]` picks an image of the batch, not a class).
    const picked = e.kind.picks?.map((p) => p.axis);
    const channelAxes = [1, input.length - 1].filter((axis) => input[axis] === classes);
    return picked ? picked.some((axis) => channelAxes.includes(axis)) : channelAxes.length > 0;
  });
}

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  // Broken everywhere, not just on empty patches.
  if (!Number.isFinite(subject.evaluate('random').value)) return [];
  const found = emptyEvaluation(subject);
  if (!found) return [];
  const { evaluation, binary } = found;
  // Point at the first op whose inputs were finite but whose output was not.
  const first = evaluation.trace.find((e) => e.nonFinite);
  const { module, source } = subject.program;
  const range = first?.range ?? returnRange(module, subject.loss);
  const value = Number.isNaN(evaluation.value) ? 'NaN' : evaluation.value > 0 ? 'Inf' : '-Inf';
  const isDivision = first !== undefined && isElementwise(first.kind, 'div') && !isGuarded(first.kind);
  // 0/0 in a Dice ratio; otherwise the op that first went non-finite (log(0) of an empty overlap).
  const cause = isDivision || first === undefined ? '0/0' : `${first.op}(0)`;
  const evidence = { value, cause, op: first?.op ?? null, mask: binary ? 'single-channel (binary)' : 'one-hot' };
  return [
    makeFinding(rule, range, evidence, {
      related: callSiteOf(first),
      edit: isDivision ? smoothDivision(module, source, first.range) : undefined,
    }),
  ];
}
