// What the probe's detectors read from training curves: loss trends over whole passes, rounding
// for evidence, and which reference losses learn (a reference that learns proves the data is
// learnable, so the user's loss is the difference).
import type { RunResult } from '../types';

/** A reference "learns" when its foreground Dice ends at least here and rose by at least LEARNING_GAIN. */
export const LEARNED_DICE = 0.3;
const LEARNING_GAIN = 0.1;

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
export const finite = (values: (number | null)[]) => values.filter((v): v is number => v !== null);
export const round = (value: number, digits = 4) => Number(value.toPrecision(digits));
export const percent = (fraction: number) => round(100 * fraction, 3);

/**
 * Mean loss over the first and the last window of steps. The window covers whole passes over the
 * training batches, so per-batch differences (an empty batch scores differently) cancel out.
 */
export function lossTrend(run: RunResult, batches: number): { start: number | null; end: number | null } {
  const losses = run.curves.loss;
  const wanted = Math.max(5, Math.round(0.1 * losses.length));
  const passes = Math.max(1, Math.min(Math.ceil(wanted / batches), Math.floor(losses.length / 2 / batches)));
  const window = Math.min(passes * batches, losses.length);
  return { start: mean(finite(losses.slice(0, window))), end: mean(finite(losses.slice(losses.length - window))) };
}

function learns(run: RunResult): boolean {
  const dice = run.final.foregroundDice;
  return dice >= LEARNED_DICE && dice - run.curves.evaluations[0].foregroundDice >= LEARNING_GAIN;
}

/**
 * Whether the data and model are learnable within the budget: most references learn. When one
 * stands out (a tiny U-Net in a few hundred steps learns with cross-entropy, not with Dice alone),
 * comparing the user's loss with it would blame the loss for the budget.
 */
export function referencesLearn(references: RunResult[]): boolean {
  const usable = references.filter((r) => r.status !== 'failed');
  return usable.length > 0 && 2 * usable.filter(learns).length >= usable.length;
}

/** The reference that segments best, among those that learn; none when most references do not. */
export function bestLearningReference(references: RunResult[]): RunResult | undefined {
  if (!referencesLearn(references)) return undefined;
  const learning = references.filter((r) => r.status !== 'failed' && learns(r));
  return learning.sort((a, b) => b.final.foregroundDice - a.final.foregroundDice)[0];
}
