// Chooses the contract a loss is diagnosed under. Each field comes from, in order: an explicit
// setting/flag; the code around the loss (compile(loss=...), the model's last layer and activation,
// label preparation, training-loop calls); the framework's conventions; trial (the candidate under
// which the loss runs and a perfect prediction scores better than a random one).
import { type Contract, type Framework, type LabelFormat, type PredictionDomain, defaultArgOrder, defaultLayout } from '../contract';
import type { LossProgram } from '../program';
import { InterpreterError } from '../python/errors';
import type { PyValue } from '../python/values';
import type { DiscoveredLoss } from './discover';
import { type ContextHints, predictionFromHints } from './hints';
import { syntheticInputs } from './synthetic';

export type ContractField = keyof Contract;
export type FieldSource = 'given' | 'context' | 'convention' | 'trial';

export interface ResolvedContract extends Contract {
  /** Fields that were not given explicitly. */
  inferred: ContractField[];
  /** Where each field came from. */
  sources: Partial<Record<ContractField, FieldSource>>;
  /** For context-derived fields: the line and code that decided them. */
  because: Partial<Record<ContractField, { line: number; why: string }>>;
  /** Overall: 'high' when nothing rests on trial alone. */
  confidence: 'high' | 'medium' | 'low';
}

export interface ContractResolution {
  contract: ResolvedContract;
  /** Set when the loss could not run under any candidate (the preferred candidate's error). */
  error?: InterpreterError;
}

const FIELDS: ContractField[] = ['framework', 'argOrder', 'layout', 'labels', 'prediction', 'classes', 'spatialDims'];

export function resolveContract(program: LossProgram, loss: DiscoveredLoss, callable: PyValue, framework: Framework, given: Partial<Contract>, hints: ContextHints): ContractResolution {
  const sources: ResolvedContract['sources'] = {};
  const because: ResolvedContract['because'] = {};
  const fixed: Partial<Contract> = {};
  const take = <K extends ContractField>(field: K, value: Contract[K] | undefined, source: FieldSource, evidence?: { line: number; why: string }) => {
    if (value === undefined || fixed[field] !== undefined) return;
    fixed[field] = value;
    sources[field] = source;
    if (evidence) because[field] = evidence;
  };
  for (const field of FIELDS) take(field, given[field] as never, 'given');
  take('framework', framework, 'context');
  const order = hints.callOrder.get(loss.name) ?? (hints.compiledLosses.has(loss.name) ? { value: 'true_pred' as const, line: hints.compiledLosses.get(loss.name)!.line, why: hints.compiledLosses.get(loss.name)!.why } : undefined);
  if (order) take('argOrder', order.value, 'context', order);
  take('argOrder', defaultArgOrder(framework), 'convention');
  if (hints.layout) take('layout', hints.layout.value, 'context', hints.layout);
  take('layout', defaultLayout(framework), 'convention');
  const prediction = predictionFromHints(hints);
  if (prediction) take('prediction', prediction.value, 'context', prediction);
  if (hints.labels) take('labels', hints.labels.value, 'context', hints.labels);
  const classes = hints.classes ?? hints.outputChannels;
  if (classes) take('classes', classes.value, 'context', classes);
  if (hints.spatialDims) take('spatialDims', hints.spatialDims.value, 'context', hints.spatialDims);
  take('spatialDims', 2, 'convention');

  const torch = framework === 'torch';
  const labelOptions: LabelFormat[] = fixed.labels ? [fixed.labels] : torch ? ['sparse', 'onehot'] : ['onehot', 'sparse'];
  const domainOptions: PredictionDomain[] = fixed.prediction ? [fixed.prediction] : torch ? ['logits', 'probabilities'] : ['probabilities', 'logits'];
  const classOptions = fixed.classes !== undefined ? [fixed.classes] : [3, 2, 1];
  const candidates: Contract[] = [];
  for (const c of classOptions) for (const l of labelOptions) for (const p of domainOptions) candidates.push({ ...(fixed as Contract), classes: c, labels: l, prediction: p });

  const finish = (chosen: Contract, trialWorked: boolean): ResolvedContract => {
    for (const field of ['labels', 'prediction', 'classes'] as const) if (!sources[field]) sources[field] = trialWorked ? 'trial' : 'convention';
    const inferred = FIELDS.filter((f) => sources[f] !== 'given');
    const trialFields = FIELDS.filter((f) => sources[f] === 'trial' || sources[f] === 'convention').length;
    const confidence = trialFields === 0 ? 'high' : trialWorked && trialFields <= 3 ? 'medium' : 'low';
    return { ...chosen, inferred, sources, because, confidence };
  };

  let firstRunning: Contract | undefined;
  let firstError: InterpreterError | undefined;
  for (const candidate of candidates) {
    try {
      const evaluate = (kind: 'random' | 'perfect') =>
        program.evaluate(callable, syntheticInputs(candidate, kind), { framework, argOrder: candidate.argOrder, valueOnly: true }).value;
      const random = evaluate('random');
      const perfect = evaluate('perfect');
      firstRunning ??= candidate;
      const better = loss.role === 'metric' ? perfect > random : perfect < random;
      if (Number.isFinite(random) && Number.isFinite(perfect) && better) return { contract: finish(candidate, true) };
    } catch (error) {
      if (!(error instanceof InterpreterError) || ['limit', 'cancelled', 'sandbox', 'unsupported'].includes(error.kind)) {
        // Not a contract problem: the loss cannot run here at all.
        return { contract: finish(candidate, false), error: error instanceof InterpreterError ? error : new InterpreterError('python', String(error)) };
      }
      firstError ??= error;
    }
  }
  if (firstRunning) return { contract: finish(firstRunning, false) };
  return { contract: finish(candidates[0], false), error: firstError };
}
