// Where the gradient from the loss to the prediction stops, and which ops' values reach the result.
import { conditionInput, isElementwise, isUnary } from '../../python/opKinds';
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

/** Ops a sum passes through term by term: linear reductions, reshapes, casts, negation. */
const passesTerms = (entry: TraceEntry) =>
  isUnary(entry.kind, 'neg') ||
  (entry.kind.category === 'reduction' && (entry.kind.reducer === 'sum' || entry.kind.reducer === 'mean')) ||
  entry.kind.category === 'reshape' ||
  entry.kind.category === 'cast' ||
  entry.kind.category === 'copy';

/**
 * The additive terms of the loss's value: the result split at + and -, through linear reductions
 * and through scaling by factors that do not depend on the prediction (weights, constants). A
 * product or quotient of two prediction-dependent factors is one term: a detached weight or
 * normaliser there is a factor of a term whose gradient flows through the other.
 */
export function additiveTerms(trace: readonly TraceEntry[], result: number): number[] {
  const terms: number[] = [];
  const visit = (index: number, depth: number) => {
    const entry = trace[index];
    if (!entry) return;
    const inputs = entry.inputs.map((input, i) => ({ input, producer: entry.inputProducers[i] }));
    const fromPred = inputs.filter(({ input }) => fromPrediction(input));
    let next: number[] | undefined;
    if (depth < 64 && isElementwise(entry.kind, 'add', 'sub')) next = fromPred.map((i) => i.producer);
    else if (depth < 64 && isElementwise(entry.kind, 'mul', 'div') && fromPred.length === 1) {
      // A prediction-dependent divisor is not a scaling.
      if (!(isElementwise(entry.kind, 'div') && fromPred[0] === inputs[1])) next = [fromPred[0].producer];
    } else if (depth < 64 && passesTerms(entry) && fromPred.length === 1) next = [fromPred[0].producer];
    if (!next || next.some((p) => p < 0)) {
      terms.push(index);
      return;
    }
    for (const producer of next) visit(producer, depth + 1);
  };
  if (result >= 0) visit(result, 0);
  return terms;
}

/** A term of the loss computed from the prediction through which no gradient reaches it. */
export function deadTerm(trace: readonly TraceEntry[], result: number): number | undefined {
  return additiveTerms(trace, result).find((t) => fromPrediction(trace[t].output) && !trace[t].output.requiresGrad);
}
