// false-positive-flood: far more false-positive lesions than a learning reference predicts.
import { type UnplacedFinding, makeUnplacedFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import type { RunResult } from '../types';
import { bestLearningReference, percent } from './curves';

export const rule = defineRule({
  id: 'false-positive-flood',
  severity: 'warning',
  title: 'Many false-positive lesions',
  message:
    'trained with this loss, the model predicts {falsePositives} false-positive lesions on {images} images, ' +
    'against {referenceFalsePositives} with {reference}',
  explanation:
    'Losses that punish false negatives far more than false positives (Tversky with a large beta, large ' +
    'foreground weights, recall-only terms) or that barely notice small scattered predictions produce many ' +
    'spurious specks. Voxel Dice hides them because each is small; lesion-level counts, as clinical evaluation ' +
    'uses, do not.',
  fix:
    'Balance the false-positive and false-negative terms (Tversky alpha = beta = 0.5, moderate class weights), ' +
    'add cross-entropy or a boundary term, and drop components below a minimum size when post-processing.',
  example: {
    bug: `import torch

def generalized_dice_loss(probs, onehot, eps=1e-5):
    w = 1.0 / (onehot.sum(dim=(0, 2, 3)) + eps)  # 1e5 for an absent class, ~1e-3 for the others
    inter = (w * (probs * onehot).sum(dim=(0, 2, 3))).sum()
    union = (w * (probs + onehot).sum(dim=(0, 2, 3))).sum()
    return 1 - 2 * inter / union
`,
    fixed: `import torch

def generalized_dice_loss(probs, onehot):
    w = 1.0 / onehot.sum(dim=(0, 2, 3))
    w = torch.where(torch.isinf(w), torch.nan_to_num(w, posinf=0.0).amax(dim=-1, keepdim=True), w)
    inter = (w * (probs * onehot).sum(dim=(0, 2, 3))).sum()
    union = (w * (probs + onehot).sum(dim=(0, 2, 3))).sum()
    return 1 - 2 * inter / union
`,
  },
});

export function detect(
  run: RunResult,
  references: RunResult[],
  images: number,
): UnplacedFinding<typeof rule.id> | undefined {
  const reference = bestLearningReference(references);
  if (!reference) return undefined;
  const ours = run.final.lesions.falsePositives;
  const theirs = reference.final.lesions.falsePositives;
  // Far above: three times the reference's count and at least one extra per image.
  if (ours < 3 * theirs || ours - theirs < images) return undefined;
  return makeUnplacedFinding(rule, run.name, {
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
