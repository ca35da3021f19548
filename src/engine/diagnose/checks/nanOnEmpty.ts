// nan-on-empty: 0/0 when both the target and the prediction are empty (patches without lesions).
import type { Evaluation } from '../../program';
import { ORIGIN_PREDICTION } from '../../python/tensor';
import type { TraceEntry } from '../../python/trace';
import { type Finding, callSiteOf, makeFinding } from '../findings';
import { smoothDivision } from '../edits';
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
  if ((contract.classes ?? 2) === 1 || contract.sources.classes === 'given' || contract.sources.classes === 'context') return undefined;
  if (isClassStructured(subject.evaluate('random').trace, contract.classes ?? 2)) return undefined; // written for several classes
  const binary = { ...contract, classes: 1 };
  try {
    if (!Number.isFinite(subject.evaluate('random', {}, binary).value)) return undefined;
    const evaluation = subject.evaluate('empty', { emptyTarget: true }, binary);
    return Number.isFinite(evaluation.value) ? undefined : { evaluation, binary: true };
  } catch {
    return undefined; // the loss is not written for single-channel masks
  }
}

/**
 * Whether the loss treats classes separately (per-class scores, picking channels), i.e. it is
 * written for a multi-class one-hot target and an all-empty single-channel mask is not its input.
 */
function isClassStructured(trace: readonly TraceEntry[], classes: number): boolean {
  return trace.some((e) => {
    if ((e.output.origin & ORIGIN_PREDICTION) === 0) return false;
    const out = e.output.shape;
    if (out.length === 1 && out[0] === classes) return true;
    if (out.length === 2 && out.includes(classes)) return true;
    const input = e.inputs[0]?.shape;
    return e.op === 'getitem' && input !== undefined && out.length === input.length - 1 && (input[input.length - 1] === classes || input[1] === classes);
  });
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
  return [makeFinding('nan-on-empty', range, { value, op: first?.op ?? null, mask: binary ? 'single-channel (binary)' : 'one-hot' }, { related: callSiteOf(first), edit: first?.op === 'div' || first?.op === 'truediv' ? smoothDivision(subject.program.module, subject.program.source, first.range) : undefined })];
}
