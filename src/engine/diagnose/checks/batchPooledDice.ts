// batch-pooled-dice (info): the Dice sums run over the batch axis too, one score for the batch.
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { predictionAxes } from '../queries/axes';
import { overlapPooledOver } from '../queries/overlap';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'batch-pooled-dice',
  severity: 'info',
  title: 'Dice pooled over the whole batch',
  message: 'the Dice sums run over the batch axis too: one score for the whole batch',
  explanation:
    'Summing intersections over the batch before dividing computes one Dice for all images together. Large ' +
    'lesions dominate and images with small lesions barely count; per-image Dice averaged over the batch treats ' +
    'them alike. Both are used deliberately; pick one knowingly.',
  fix: 'Reduce over the spatial axes only (and the class axis if intended), then average over the batch.',
  example: {
    bug: `import torch

def soft_dice_loss(probs, onehot, smooth=1.0):
    inter = (probs * onehot).sum(dim=(0, 2, 3))  # sums over the batch too
    union = (probs + onehot).sum(dim=(0, 2, 3))
    return 1 - ((2 * inter + smooth) / (union + smooth)).mean()
`,
    fixed: `import torch

def soft_dice_loss(probs, onehot, smooth=1.0):
    inter = (probs * onehot).sum(dim=(2, 3))  # per image and class
    union = (probs + onehot).sum(dim=(2, 3))
    return 1 - ((2 * inter + smooth) / (union + smooth)).mean()
`,
  },
});

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  const { contract } = subject;
  // Flattened predictions hold no batch axis of their own to keep: pooling is the caller's layout.
  if (contract.flattened) return [];
  const pooled = overlapPooledOver(subject.evaluate('random').trace, contract, predictionAxes(contract).batch);
  return pooled ? [makeFinding(rule, pooled.entry.range, { op: pooled.entry.op })] : [];
}
