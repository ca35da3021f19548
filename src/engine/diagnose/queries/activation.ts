// Activations the loss applies to its raw prediction: they tell the contract search that the loss
// expects logits, and double-activation / activation-mismatch which op to point at.
import { type OpKind, isActivation, takesLogits } from '../../python/opKinds';
import type { TraceEntry } from '../../python/trace';
import { onlyPrediction, onlyTarget } from './origin';
import { softmaxes } from './softmax';

/** Turns logits into (log-)probabilities. */
const isLogitActivation = (kind: OpKind) => isActivation(kind, 'sigmoid', 'softmax', 'log_softmax', 'logsigmoid');

/** The first op of the kind `matches` applied to the prediction itself (not to something mixed with the labels). */
export function predictionActivation(
  trace: readonly TraceEntry[],
  matches: (kind: OpKind) => boolean = isLogitActivation,
): TraceEntry | undefined {
  return trace.find((e) => matches(e.kind) && e.inputs.some(onlyPrediction));
}

/** Whether the loss activates its prediction: an activation, or a built-in loss that takes logits. */
export function activatesPrediction(trace: readonly TraceEntry[]): boolean {
  if (predictionActivation(trace, (kind) => isLogitActivation(kind) || takesLogits(kind))) return true;
  // A softmax the code writes itself (exp / sum) of the prediction.
  return softmaxes(trace).some((s) => s.written && onlyPrediction(s.input));
}

/** Whether the loss feeds its prediction to a built-in loss that takes logits. */
export function feedsFromLogitsLoss(trace: readonly TraceEntry[]): boolean {
  return predictionActivation(trace, takesLogits) !== undefined;
}

/**
 * Whether the loss activates its second tensor as it would a prediction (softmax of the "labels"):
 * it compares two predictions (a consistency or distillation loss, e.g. a KL divergence between a
 * student's and a teacher's outputs), so labels-based verdicts (random vs perfect, the class axis of
 * a guessed layout) do not apply to it.
 */
export function activatesLabels(trace: readonly TraceEntry[]): boolean {
  return trace.some((e) => isLogitActivation(e.kind) && e.inputs.some(onlyTarget));
}
