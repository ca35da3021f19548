// Where the gradient from the loss to the prediction stops, and which ops' values reach the result.
import { conditionInput } from '../../python/opKinds';
import type { TraceEntry } from '../../python/trace';
import { fromPrediction } from './origin';

/** Ops that consumed a grad-requiring tensor derived from the prediction and cut or zeroed its gradient. */
export function gradientCuts(trace: readonly TraceEntry[]): TraceEntry[] {
  return trace.filter((e) => e.gradient !== 'flow' && e.inputs.some((i) => i.requiresGrad && fromPrediction(i)));
}

/**
 * Trace entries whose values flow into the result. A where() condition only selects, it carries no
 * value, so masks computed with thresholds (where(p > 0.5, p, 0)) are not counted.
 */
export function valueAncestors(trace: readonly TraceEntry[], result: number): Set<number> {
  const seen = new Set<number>();
  const stack = result >= 0 ? [result] : [];
  while (stack.length) {
    const index = stack.pop()!;
    if (seen.has(index) || !trace[index]) continue;
    seen.add(index);
    trace[index].inputProducers.forEach((producer, position) => {
      if (producer < 0) return;
      if (conditionInput(trace[index].kind) === position) return;
      stack.push(producer);
    });
  }
  return seen;
}
