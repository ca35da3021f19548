// training-diverged: NaN/Inf losses or gradients during training, or a loss that explodes.
import { type UnplacedFinding, makeUnplacedFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { formatNumber } from '../../findings/template';
import type { RunResult } from '../types';
import { finite, lossTrend, round } from './curves';

export const rule = defineRule({
  id: 'training-diverged',
  severity: 'error',
  title: 'Training diverges',
  message: '{detail}',
  explanation:
    'A NaN or infinite loss or gradient (0/0 on empty patches, log(0), exploding class weights) poisons every ' +
    'weight at the next update, after which the network only outputs NaN; an exploding loss means the updates ' +
    'grow without bound. The probe skips non-finite updates to keep measuring; a real training run does not.',
  fix:
    'Smooth every ratio, clip probabilities before a log (e.g. to [1e-7, 1 - 1e-7]), guard class weights of ' +
    'absent classes, and check the loss on an empty patch.',
  example: {
    bug: `import torch

def generalized_dice_loss(probs, onehot):
    w = 1.0 / onehot.sum(dim=(2, 3)) ** 2  # per image: Inf for every class an image lacks
    inter = (w * (probs * onehot).sum(dim=(2, 3))).sum(dim=1)
    union = (w * (probs + onehot).sum(dim=(2, 3))).sum(dim=1)
    return (1 - 2 * inter / union).mean()
`,
    fixed: `import torch

def generalized_dice_loss(probs, onehot):
    w = 1.0 / onehot.sum(dim=(2, 3)) ** 2
    w = torch.where(torch.isinf(w), torch.nan_to_num(w, posinf=0.0).amax(dim=1, keepdim=True), w)
    inter = (w * (probs * onehot).sum(dim=(2, 3))).sum(dim=1)
    union = (w * (probs + onehot).sum(dim=(2, 3))).sum(dim=1)
    return (1 - 2 * inter / union).mean()
`,
  },
});

/** A loss that grows 1000× over its start has exploded. */
const EXPLOSION_FACTOR = 1e3;

export function detect(run: RunResult, batches: number): UnplacedFinding<typeof rule.id> | undefined {
  const { nonFiniteLossSteps, nonFiniteGradientSteps, firstNonFiniteStep } = run.gradient;
  if (nonFiniteLossSteps + nonFiniteGradientSteps > 0) {
    const what = nonFiniteLossSteps > 0 ? 'the loss' : 'the gradient';
    const steps = Math.max(nonFiniteLossSteps, nonFiniteGradientSteps);
    return makeUnplacedFinding(rule, run.name, {
      detail: `${what} is NaN/Inf from step ${firstNonFiniteStep} (${steps} of ${run.stepsRun} steps)`,
      firstNonFiniteStep,
      nonFiniteLossSteps,
      nonFiniteGradientSteps,
      steps: run.stepsRun,
    });
  }
  const { start } = lossTrend(run, batches);
  const values = finite(run.curves.loss);
  if (start === null || !values.length) return undefined;
  const peak = values.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
  const scale = Math.max(Math.abs(start), 1e-3);
  if (Math.abs(peak) < EXPLOSION_FACTOR * scale) return undefined;
  return makeUnplacedFinding(rule, run.name, {
    detail: `the loss explodes from ${formatNumber(start)} to ${formatNumber(peak)}`,
    lossStart: round(start),
    lossPeak: round(peak),
    steps: run.stepsRun,
  });
}
