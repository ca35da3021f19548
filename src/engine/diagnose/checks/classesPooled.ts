// classes-pooled (info): the Dice sums run over the class axis, all classes pooled into one score.
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { predictionAxes } from '../queries/axes';
import { classCountKnown } from '../queries/classCount';
import { overlapPooledOver } from '../queries/overlap';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'classes-pooled',
  severity: 'info',
  title: 'All classes pooled into one Dice',
  message: 'the Dice sums run over the class axis: classes are pooled into one score',
  explanation:
    'Summing over the class axis before dividing lets the largest class (usually background) decide the score; ' +
    'small structures barely affect it.',
  fix: 'Compute Dice per class (keep the class axis), then average over classes.',
  example: {
    bug: `import torch

def soft_dice_loss(probs, onehot, num_classes=3, smooth=1.0):
    inter = (probs * onehot).sum(dim=(1, 2, 3))  # classes pooled: background decides
    union = (probs + onehot).sum(dim=(1, 2, 3))
    return 1 - ((2 * inter + smooth) / (union + smooth)).mean()
`,
    fixed: `import torch

def soft_dice_loss(probs, onehot, num_classes=3, smooth=1.0):
    inter = (probs * onehot).sum(dim=(2, 3))  # one score per image and class
    union = (probs + onehot).sum(dim=(2, 3))
    return 1 - ((2 * inter + smooth) / (union + smooth))[:, 1:].mean()
`,
  },
});

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  const { contract } = subject;
  // A binary loss looks class-pooled under a guessed C = 3.
  if ((contract.classes ?? 2) <= 1 || !classCountKnown(contract)) return [];
  const pooled = overlapPooledOver(subject.evaluate('random').trace, contract, predictionAxes(contract).classAxis);
  return pooled ? [makeFinding(rule, pooled.entry.range, { op: pooled.entry.op })] : [];
}
