// Chooses the contract a loss is diagnosed under: explicit fields win; the rest comes from the
// framework's conventions, then from trial (the candidate under which the loss runs and a perfect
// prediction scores better than a random one).
import { type Contract, type Framework, type LabelFormat, type PredictionDomain, defaultArgOrder, defaultLayout } from '../contract';
import type { LossProgram } from '../program';
import { InterpreterError } from '../python/errors';
import type { PyValue } from '../python/values';
import type { DiscoveredLoss } from './discover';
import { syntheticInputs } from './synthetic';

export type ContractField = keyof Contract;

export interface ResolvedContract extends Contract {
  /** Fields not given explicitly. */
  inferred: ContractField[];
  /** How the inferred fields were chosen. */
  confidence: 'given' | 'convention' | 'trial';
}

export interface ContractCandidateResult {
  contract: ResolvedContract;
  /** The error of the preferred candidate when no candidate ran. */
  error?: InterpreterError;
}

function candidates(framework: Framework, given: Partial<Contract>): Contract[] {
  const base = {
    framework,
    argOrder: given.argOrder ?? defaultArgOrder(framework),
    layout: given.layout ?? defaultLayout(framework),
    spatialDims: given.spatialDims ?? 2,
  };
  const torch = framework === 'torch';
  const labels: LabelFormat[] = given.labels ? [given.labels] : torch ? ['sparse', 'onehot'] : ['onehot', 'sparse'];
  const domains: PredictionDomain[] = given.prediction ? [given.prediction] : torch ? ['logits', 'probabilities'] : ['probabilities', 'logits'];
  const classes = given.classes !== undefined ? [given.classes] : [3, 2, 1];
  const out: Contract[] = [];
  for (const c of classes) for (const l of labels) for (const p of domains) out.push({ ...base, classes: c, labels: l, prediction: p });
  return out;
}

export function resolveContract(program: LossProgram, loss: DiscoveredLoss, callable: PyValue, framework: Framework, given: Partial<Contract>): ContractCandidateResult {
  const inferred = (['framework', 'argOrder', 'layout', 'labels', 'prediction', 'classes', 'spatialDims'] as ContractField[]).filter((f) => given[f] === undefined);
  const all = candidates(framework, given);
  let firstRunning: Contract | undefined;
  let firstError: InterpreterError | undefined;
  for (const candidate of all) {
    try {
      const evaluate = (kind: 'random' | 'perfect') =>
        program.evaluate(callable, syntheticInputs(candidate, kind), { framework, argOrder: candidate.argOrder, valueOnly: true }).value;
      const random = evaluate('random');
      const perfect = evaluate('perfect');
      firstRunning ??= candidate;
      const better = loss.role === 'metric' ? perfect > random : perfect < random;
      if (Number.isFinite(random) && Number.isFinite(perfect) && better) {
        return { contract: { ...candidate, inferred, confidence: inferred.length <= 1 ? 'given' : 'trial' } };
      }
    } catch (error) {
      if (!(error instanceof InterpreterError) || error.kind === 'limit' || error.kind === 'cancelled' || error.kind === 'sandbox' || error.kind === 'unsupported') {
        // Not a contract problem: the loss cannot run at all here.
        return { contract: { ...candidate, inferred, confidence: 'convention' }, error: error instanceof InterpreterError ? error : new InterpreterError('python', String(error)) };
      }
      firstError ??= error;
    }
  }
  if (firstRunning) return { contract: { ...firstRunning, inferred, confidence: 'convention' } };
  return { contract: { ...all[0], inferred, confidence: 'convention' }, error: firstError };
}
