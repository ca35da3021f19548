// Softmaxes in a trace: the frameworks' (an activation kind with its axis) and those the code
// writes itself, exp(x) / sum(exp(x), axis, keepdims) (numpy helpers, often with a max subtracted).
import { isActivation, isElementwise, isReduction, isUnary } from '../../python/opKinds';
import type { TensorInfo, TraceEntry } from '../../python/trace';
import { fromPrediction } from './origin';

export interface Softmax {
  /** The activation, or the division that ends a hand-written softmax. */
  entry: TraceEntry;
  /** The axis it normalises over, of `input`. */
  axis: number;
  /** What it normalises: the activation's input, or what the hand-written one exponentiates. */
  input: TensorInfo;
  /** Written with exp and sum rather than called. */
  written: boolean;
}

/** exp(x) / sum(exp(x), axis=a, keepdims=True) over one axis, at a division. */
function writtenSoftmax(trace: readonly TraceEntry[], division: TraceEntry): Softmax | undefined {
  if (!isElementwise(division.kind, 'div') || division.inputs.length !== 2) return undefined;
  const [numerator, denominator] = division.inputProducers.map((p) => (p >= 0 ? trace[p] : undefined));
  if (!numerator || !denominator || !isUnary(numerator.kind, 'exp')) return undefined;
  const { kind } = denominator;
  if (!isReduction(kind, 'sum') || !kind.keepdims || kind.axes?.length !== 1) return undefined;
  if (denominator.inputProducers[0] !== numerator.index) return undefined;
  return { entry: division, axis: kind.axes[0], input: numerator.inputs[0], written: true };
}

/** Every softmax (and log_softmax) of the trace, in order. */
export function softmaxes(trace: readonly TraceEntry[]): Softmax[] {
  const found: Softmax[] = [];
  for (const entry of trace) {
    const { kind } = entry;
    if (isActivation(kind, 'softmax', 'log_softmax') && 'axis' in kind && entry.inputs[0])
      found.push({ entry, axis: kind.axis, input: entry.inputs[0], written: false });
    else {
      const written = writtenSoftmax(trace, entry);
      if (written) found.push(written);
    }
  }
  return found;
}

/**
 * A softmax of the prediction over an axis of size 1: every value becomes 1 (log_softmax: 0), so
 * the loss cannot see the prediction through it. Code written for several classes, read under a
 * one-channel candidate (one_hot(target, 1) runs in every framework): that candidate is not its contract.
 */
export function singletonSoftmax(trace: readonly TraceEntry[]): boolean {
  return softmaxes(trace).some(({ axis, input }) => fromPrediction(input) && input.shape.at(axis) === 1);
}
