// Whether a contract's class count is known rather than guessed: class-level verdicts need it (a
// loss written for 2 classes looks as if it ignored or pooled the third of a guessed 3).
import type { ResolvedContract } from '../../contract';

export function classCountKnown(contract: ResolvedContract): boolean {
  return contract.sources.classes === 'given' || contract.sources.classes === 'context';
}
