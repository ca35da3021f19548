// nan-on-empty: 0/0 when both the target and the prediction are empty (patches without lesions).
import { type Finding, makeFinding } from '../findings';
import type { LossSubject } from '../subject';
import { returnRange } from './signError';

export function checkNanOnEmpty(subject: LossSubject): Finding[] {
  if (!Number.isFinite(subject.evaluate('random').value)) return []; // broken everywhere, not just on empty patches
  const evaluation = subject.evaluate('empty', { emptyTarget: true });
  if (Number.isFinite(evaluation.value)) return [];
  // Point at the first op whose inputs were finite but whose output was not.
  const first = evaluation.trace.find((e) => e.nonFinite);
  const range = first?.range ?? returnRange(subject);
  const value = Number.isNaN(evaluation.value) ? 'NaN' : evaluation.value > 0 ? 'Inf' : '-Inf';
  return [makeFinding('nan-on-empty', range, { value, op: first?.op ?? null })];
}
