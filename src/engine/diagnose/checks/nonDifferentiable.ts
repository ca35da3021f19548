// non-differentiable: the prediction reaches the loss only through ops without a gradient.
import { ORIGIN_PREDICTION } from '../../python/tensor';
import type { TraceEntry } from '../../python/trace';
import { type Finding, callSiteOf, makeFinding } from '../findings';
import type { LossSubject } from '../subject';

/** Ops that consumed a grad-requiring tensor derived from the prediction and cut or zeroed its gradient. */
export function gradientCuts(trace: readonly TraceEntry[]): TraceEntry[] {
  return trace.filter((e) => e.gradient !== 'flow' && e.inputs.some((i) => i.requiresGrad && (i.origin & ORIGIN_PREDICTION) !== 0));
}

export function checkNonDifferentiable(subject: LossSubject): Finding[] {
  if (subject.loss.role === 'metric') return []; // metrics are not differentiated: argmax and thresholds belong there
  const evaluation = subject.evaluate('random');
  const gradientLost = evaluation.gradNorm === null || evaluation.gradNorm === 0;
  if (!gradientLost || !Number.isFinite(evaluation.value)) return [];
  const cuts = gradientCuts(evaluation.trace);
  const culprit = cuts[0];
  const gradient = evaluation.gradNorm === null ? 'absent (no gradient path)' : 'zero everywhere';
  const evidence = { op: culprit?.op ?? 'the return value', gradient, gradNorm: evaluation.gradNorm, value: evaluation.value };
  const range = culprit?.range ?? subject.loss.range;
  return [makeFinding('non-differentiable', range, evidence, { related: callSiteOf(culprit) })];
}
