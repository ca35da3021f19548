// no-learning: neither the loss nor the Dice moves, because the gradient is absent or zero, or
// (when the data is learnable) the loss gives the optimiser nothing to follow.
import { type UnplacedFinding, makeUnplacedFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { formatNumber } from '../../findings/template';
import type { RunResult } from '../types';
import { bestLearningReference, lossTrend, round } from './curves';

export const rule = defineRule({
  id: 'no-learning',
  severity: 'error',
  title: 'The model does not learn',
  message:
    'in {steps} steps neither the loss ({lossStart} → {lossEnd}) nor the Dice ({diceStart} → {diceEnd}) ' +
    'moves{detail}',
  explanation:
    'The loss gives the optimiser nothing to follow: no gradient path to the prediction (argmax, thresholds, ' +
    'integer casts, .detach(), numpy conversions), a gradient that is zero everywhere, or one too small to ' +
    'change anything. The model stays where it started.',
  fix:
    'Keep every operation between the prediction and the loss differentiable: use the soft probabilities, not ' +
    'argmax/round/thresholded masks, and never detach or convert the prediction.',
  example: {
    bug: `import torch

def dice_loss(logits, target, smooth=1.0):
    pred = (torch.sigmoid(logits) > 0.5).float()  # no gradient through the threshold
    inter = (pred * target).sum()
    return 1 - (2 * inter + smooth) / (pred.sum() + target.sum() + smooth)
`,
    fixed: `import torch

def dice_loss(logits, target, smooth=1.0):
    pred = torch.sigmoid(logits)
    inter = (pred * target).sum()
    return 1 - (2 * inter + smooth) / (pred.sum() + target.sum() + smooth)
`,
  },
});

/** "Moves": 1 % of the loss, or 0.02 of Dice or of the foreground fraction. */
const MOVING_LOSS = 0.01;
const MOVING_METRIC = 0.02;

export function detect(
  run: RunResult,
  references: RunResult[],
  batches: number,
): UnplacedFinding<typeof rule.id> | undefined {
  const first = run.curves.evaluations[0];
  const { start, end } = lossTrend(run, batches);
  const steps = run.stepsRun;
  const withoutGradient = run.gradient.noGradientSteps + run.gradient.zeroGradientSteps;
  const diceChange = run.final.foregroundDice - first.foregroundDice;
  const fractionChange = run.final.predictedForeground - first.predictedForeground;
  const lossMoves =
    start !== null && end !== null && Math.abs(end - start) >= MOVING_LOSS * Math.max(Math.abs(start), 1e-8);
  const metricMoves = Math.abs(diceChange) >= MOVING_METRIC || Math.abs(fractionChange) >= MOVING_METRIC;
  const noGradient = steps > 0 && withoutGradient === steps;
  if (!noGradient && (lossMoves || metricMoves)) return undefined;
  const reference = bestLearningReference(references);
  // Without a gradient the verdict stands alone; a merely flat run counts only when the data is learnable.
  if (!noGradient && references.length > 0 && !reference) return undefined;
  const detail =
    run.gradient.noGradientSteps === steps
      ? ': no gradient path from the model to the loss'
      : noGradient
        ? ': the gradient is zero at every step'
        : reference
          ? `; ${reference.name} reaches Dice ${formatNumber(reference.final.foregroundDice)}`
          : '';
  return makeUnplacedFinding(rule, run.name, {
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
