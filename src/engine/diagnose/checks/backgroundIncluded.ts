// background-included (info): a mean over per-class scores that still has every channel,
// background (0) included, on data where the background Dice is near 1 from the start.
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { isReduction } from '../../python/opKinds';
import type { TraceEntry } from '../../python/trace';
import { classCountKnown } from '../queries/classCount';
import { fromPrediction, fromTarget } from '../queries/origin';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'background-included',
  severity: 'info',
  title: 'Background included in a mean Dice on imbalanced data',
  message: 'the mean Dice includes the background channel, which is near 1 on imbalanced data',
  explanation:
    'With about 1% foreground the background Dice is close to 1 from the first step; averaging it in halves the ' +
    'signal from the structures you care about.',
  fix: 'Exclude the background channel from the mean (e.g. `dice[:, 1:].mean()`) or weight the classes.',
  example: {
    bug: `import torch

def soft_dice_loss(probs, onehot, num_classes=4, smooth=1.0):
    inter = (probs * onehot).sum(dim=(2, 3))
    union = (probs + onehot).sum(dim=(2, 3))
    dice = (2 * inter + smooth) / (union + smooth)  # (N, C)
    return 1 - dice.mean()  # channel 0, the background, is in the mean
`,
    fixed: `import torch

def soft_dice_loss(probs, onehot, num_classes=4, smooth=1.0):
    inter = (probs * onehot).sum(dim=(2, 3))
    union = (probs + onehot).sum(dim=(2, 3))
    dice = (2 * inter + smooth) / (union + smooth)
    return 1 - dice[:, 1:].mean()
`,
  },
});

/** A mean over a (classes,) or (N, classes) tensor of scores computed from prediction and labels. */
function isPerClassMean(entry: TraceEntry, classes: number): boolean {
  const input = entry.inputs[0];
  if (!isReduction(entry.kind, 'mean') || !input || !fromPrediction(input) || !fromTarget(input)) return false;
  const { shape } = input;
  return shape[shape.length - 1] === classes && shape.length <= 2 && entry.output.shape.length < shape.length;
}

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  const { contract } = subject;
  const classes = contract.classes ?? 2;
  if (classes <= 2 || !classCountKnown(contract)) return [];
  const mean = subject.evaluate('random').trace.find((e) => isPerClassMean(e, classes));
  return mean ? [makeFinding(rule, mean.range, { classes })] : [];
}
