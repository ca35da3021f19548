// non-differentiable: the prediction reaches the loss only through ops without a gradient (error),
// or one term of the loss does (warning: that term trains nothing, the rest still does).
import { ORIGIN_PREDICTION } from '../../python/tensor';
import type { TraceEntry } from '../../python/trace';
import { type CodeEdit, type Finding, callSiteOf, makeFinding } from '../findings';
import { unwrapCall } from '../edits';
import type { LossSubject } from '../subject';

/** Ops that consumed a grad-requiring tensor derived from the prediction and cut or zeroed its gradient. */
export function gradientCuts(trace: readonly TraceEntry[]): TraceEntry[] {
  return trace.filter((e) => e.gradient !== 'flow' && e.inputs.some((i) => i.requiresGrad && (i.origin & ORIGIN_PREDICTION) !== 0));
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
      if (trace[index].op === 'where' && position === 0) return;
      stack.push(producer);
    });
  }
  return seen;
}

export function checkNonDifferentiable(subject: LossSubject): Finding[] {
  if (subject.loss.role === 'metric') return []; // metrics are not differentiated: argmax and thresholds belong there
  const evaluation = subject.evaluate('random');
  if (!Number.isFinite(evaluation.value)) return [];
  const cuts = gradientCuts(evaluation.trace);
  const gradientLost = evaluation.gradNorm === null || evaluation.gradNorm === 0;
  if (gradientLost) {
    const culprit = cuts[0];
    const gradient = evaluation.gradNorm === null ? 'absent (no gradient path)' : 'zero everywhere';
    const evidence = { op: culprit?.op ?? 'the return value', gradient, gradNorm: evaluation.gradNorm, value: evaluation.value };
    return [makeFinding('non-differentiable', culprit?.range ?? subject.loss.range, evidence, { related: callSiteOf(culprit), edit: removableCut(subject, culprit) })];
  }
  // The loss trains, but a term of it goes through a cut: that term contributes nothing.
  const ancestors = valueAncestors(evaluation.trace, evaluation.resultProducer);
  const dead = cuts.find((c) => ancestors.has(c.index));
  if (!dead) return [];
  return [makeFinding('non-differentiable', dead.range, { op: dead.op, gradient: 'absent for this term', gradNorm: evaluation.gradNorm, value: evaluation.value }, {
    severity: 'warning',
    message: `\`${dead.op}\` cuts the gradient of this term: it adds to the loss value but trains nothing (the rest of the loss still has a gradient, norm ${evaluation.gradNorm!.toPrecision(3)})`,
    related: callSiteOf(dead),
    edit: removableCut(subject, dead),
  })];
}

/** Gradient stops and rounding can simply be removed (argmax cannot: it changes the shape). */
const REMOVABLE = new Set(['detach', 'stop_gradient', 'round', 'rint']);

function removableCut(subject: LossSubject, entry: TraceEntry | undefined): CodeEdit | undefined {
  if (!entry || !REMOVABLE.has(entry.op)) return undefined;
  return unwrapCall(subject.program.module, subject.program.source, entry.range);
}
