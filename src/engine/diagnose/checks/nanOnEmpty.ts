// nan-on-empty: 0/0 when both the target and the prediction are empty (patches without lesions).
import type { Evaluation } from '../../program';
import { type Finding, callSiteOf, makeFinding } from '../findings';
import type { LossSubject } from '../subject';
import { returnRange } from './signError';

/**
 * A one-hot multi-class target is never empty (its background channel is full), so when the class
 * count was not given, an empty single-channel (binary) mask is tried as well.
 */
function emptyEvaluation(subject: LossSubject): { evaluation: Evaluation; binary: boolean } | undefined {
  const own = subject.evaluate('empty', { emptyTarget: true });
  if (!Number.isFinite(own.value)) return { evaluation: own, binary: false };
  const { contract } = subject;
  if ((contract.classes ?? 2) === 1 || contract.sources.classes === 'given') return undefined;
  const binary = { ...contract, classes: 1 };
  try {
    if (!Number.isFinite(subject.evaluate('random', {}, binary).value)) return undefined;
    const evaluation = subject.evaluate('empty', { emptyTarget: true }, binary);
    return Number.isFinite(evaluation.value) ? undefined : { evaluation, binary: true };
  } catch {
    return undefined; // the loss is not written for single-channel masks
  }
}

export function checkNanOnEmpty(subject: LossSubject): Finding[] {
  if (!Number.isFinite(subject.evaluate('random').value)) return []; // broken everywhere, not just on empty patches
  const found = emptyEvaluation(subject);
  if (!found) return [];
  const { evaluation, binary } = found;
  // Point at the first op whose inputs were finite but whose output was not.
  const first = evaluation.trace.find((e) => e.nonFinite);
  const range = first?.range ?? returnRange(subject);
  const value = Number.isNaN(evaluation.value) ? 'NaN' : evaluation.value > 0 ? 'Inf' : '-Inf';
  return [makeFinding('nan-on-empty', range, { value, op: first?.op ?? null, mask: binary ? 'single-channel (binary)' : 'one-hot' }, { related: callSiteOf(first) })];
}
