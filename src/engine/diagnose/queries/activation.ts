// Activations the loss applies to its raw prediction: they tell the contract search that the loss
// expects logits, and double-activation / activation-mismatch which op to point at.
import type { TraceEntry } from '../../python/trace';
import { onlyPrediction } from './origin';

/** Ops that turn logits into (log-)probabilities. */
export const ACTIVATIONS: ReadonlySet<string> = new Set([
  'sigmoid', 'softmax', 'log_softmax', 'logsoftmax', 'logsigmoid',
]);

/** Built-in losses that take logits and activate them themselves. */
export const FROM_LOGITS_LOSSES: ReadonlySet<string> = new Set([
  'cross_entropy', 'binary_cross_entropy_with_logits', 'softmax_cross_entropy_with_logits',
  'sigmoid_cross_entropy_with_logits', 'sparse_softmax_cross_entropy_with_logits', 'weighted_cross_entropy_with_logits',
  'sigmoid_binary_crossentropy',
]);

const ACTIVATING = new Set([...ACTIVATIONS, ...FROM_LOGITS_LOSSES]);

/** The first of `ops` applied to the prediction itself (not to something mixed with the labels). */
export function predictionActivation(
  trace: readonly TraceEntry[],
  ops: ReadonlySet<string> = ACTIVATIONS,
): TraceEntry | undefined {
  return trace.find((e) => ops.has(e.op) && e.inputs.some(onlyPrediction));
}

/** Whether the loss activates its prediction: an activation, or a built-in loss that takes logits. */
export function activatesPrediction(trace: readonly TraceEntry[]): boolean {
  return predictionActivation(trace, ACTIVATING) !== undefined;
}

/** Whether the loss feeds its prediction to a built-in loss that takes logits. */
export function feedsFromLogitsLoss(trace: readonly TraceEntry[]): boolean {
  return predictionActivation(trace, FROM_LOGITS_LOSSES) !== undefined;
}
