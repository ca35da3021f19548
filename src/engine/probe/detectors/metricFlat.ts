// metric-flat: the loss falls while the Dice stays where it started, far behind a reference.
import { type UnplacedFinding, makeUnplacedFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { formatNumber } from '../../findings/template';
import type { RunResult } from '../types';
import { LEARNED_DICE, bestLearningReference, lossTrend, percent, round } from './curves';

export const rule = defineRule({
  id: 'metric-flat',
  severity: 'warning',
  title: 'The loss falls but the Dice does not rise',
  message:
    'the loss falls by {lossDropPercent}% ({lossStart} → {lossEnd}) while the Dice stays at {diceEnd} (from ' +
    '{diceStart}){comparison}',
  explanation:
    'The optimiser is reducing something other than the overlap the metric measures: a term that shrinks by ' +
    'smoothing or emptying the prediction (background in the mean, classes pooled, a wrong axis), or one that ' +
    'trivial outputs minimise. The training curve looks healthy while the segmentation does not improve: the ' +
    'classic "loss decreases but Dice stays constant".',
  fix:
    'Compute the loss on the channels the metric scores, per class and over the spatial axes only, and compare ' +
    'it with a plain soft Dice on the same data.',
  example: {
    bug: `import torch

def generalized_dice_loss(probs, onehot, eps=1e-5):
    w = 1.0 / (onehot.sum(dim=(0, 2, 3)) ** 2 + eps)  # 1e5 for an absent class: its term drowns the rest
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

/** The loss "falls" by this fraction of its start; the Dice is "flat" below this gain. */
const LOSS_DROP = 0.1;
const FLAT_DICE_GAIN = 0.05;

export function detect(
  run: RunResult,
  references: RunResult[],
  batches: number,
): UnplacedFinding<typeof rule.id> | undefined {
  const { start, end } = lossTrend(run, batches);
  if (start === null || end === null) return undefined;
  const drop = (start - end) / Math.max(Math.abs(start), 1e-8);
  const diceStart = run.curves.evaluations[0].foregroundDice;
  const diceEnd = run.final.foregroundDice;
  if (drop < LOSS_DROP || diceEnd - diceStart >= FLAT_DICE_GAIN) return undefined;
  const reference = bestLearningReference(references);
  // With references, "flat" must also mean far behind one that learns.
  const notFarBehind = !reference || reference.final.foregroundDice - diceEnd < (2 * LEARNED_DICE) / 3;
  if (references.length > 0 && notFarBehind) return undefined;
  return makeUnplacedFinding(rule, run.name, {
    lossStart: round(start),
    lossEnd: round(end),
    lossDropPercent: percent(drop),
    diceStart: round(diceStart),
    diceEnd: round(diceEnd),
    comparison: reference
      ? `; ${reference.name} reaches ${formatNumber(reference.final.foregroundDice)} on the same data`
      : '',
    ...(reference ? { reference: reference.name, referenceDice: round(reference.final.foregroundDice) } : {}),
  });
}
