// collapse-to-background: classes a learning reference segments but the user's loss stops
// predicting (under a tenth of their true share).
import { type UnplacedFinding, makeUnplacedFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import type { RunResult } from '../types';
import { LEARNED_DICE, bestLearningReference, percent, round } from './curves';

export const rule = defineRule({
  id: 'collapse-to-background',
  severity: 'error',
  title: 'Training collapses to background',
  message:
    'trained with this loss, the model predicts {what} on {predictedPercent}% of voxels (truth {truePercent}%) ' +
    'from step {step}, while {reference} reaches Dice {referenceDice}',
  explanation:
    'On imbalanced data a loss can be lowered by predicting background everywhere. When its gradient favours the ' +
    'majority class (exploding weights for absent classes, sums dominated by background, a wrong reduction, or a ' +
    'per-image Dice with background where every class an image lacks scores 1 for predicting nothing), the ' +
    'foreground probability is pushed to zero and does not recover. A reference loss trained on the same data ' +
    'from the same initial model does find the lesions, so the data is learnable and the loss makes the ' +
    'difference.',
  fix:
    'Compute Dice per class over the spatial axes with a smoothing term; give absent classes the largest finite ' +
    'weight instead of 1/count²; when classes are often missing from images, pool the Dice over the batch ' +
    "without the background channel (nnU-Net's batch Dice); add cross-entropy when the foreground is tiny.",
  example: {
    bug: `import torch
import torch.nn.functional as F

def dice_loss(logits, target, smooth=1.0):
    probs = torch.softmax(logits, dim=1)
    onehot = F.one_hot(target, logits.shape[1]).permute(0, 3, 1, 2).float()
    inter = (probs * onehot).sum(dim=(2, 3))  # per image: a class the image lacks scores 1 for nothing
    union = (probs + onehot).sum(dim=(2, 3))
    return 1 - ((2 * inter + smooth) / (union + smooth)).mean()  # background in the mean
`,
    fixed: `import torch
import torch.nn.functional as F

def dice_loss(logits, target, smooth=1.0):
    probs = torch.softmax(logits, dim=1)
    onehot = F.one_hot(target, logits.shape[1]).permute(0, 3, 1, 2).float()
    inter = (probs * onehot).sum(dim=(0, 2, 3))  # pooled over the batch (nnU-Net's batch Dice)
    union = (probs + onehot).sum(dim=(0, 2, 3))
    return 1 - ((2 * inter + smooth) / (union + smooth))[1:].mean()  # background left out
`,
  },
});

/** Predicting under a tenth of the true foreground is a collapse, not an under-segmentation. */
const COLLAPSE_RATIO = 0.1;

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

export function detect(run: RunResult, references: RunResult[]): UnplacedFinding<typeof rule.id> | undefined {
  const reference = bestLearningReference(references);
  if (!reference) return undefined;
  const final = run.final;
  // Classes the reference segments but this loss stops predicting.
  const collapsed: number[] = [];
  for (let c = 1; c < final.truePerClass.length; c++) {
    const referenceDice = reference.final.dicePerClass[c];
    const referenceLearns = referenceDice !== null && referenceDice >= LEARNED_DICE;
    const vanished = final.predictedPerClass[c] < COLLAPSE_RATIO * final.truePerClass[c];
    if (final.truePerClass[c] > 0 && referenceLearns && vanished) collapsed.push(c);
  }
  if (!collapsed.length) return undefined;
  const everything = collapsed.length === final.truePerClass.length - 1;
  return makeUnplacedFinding(rule, run.name, {
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
