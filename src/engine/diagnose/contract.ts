// Chooses the contract a loss is diagnosed under. Each field comes from, in order: an explicit
// setting/flag; the code around the loss (compile(loss=...), the model's last layer and activation,
// label preparation, training-loop calls); the framework's conventions; trial (the candidate under
// which the loss runs and a perfect prediction scores better than a random one).
import { type Contract, type Framework, type LabelFormat, type PredictionDomain, defaultArgOrder, defaultLayout } from '../contract';
import type { LossProgram } from '../program';
import { InterpreterError } from '../python/errors';
import type { PyValue } from '../python/values';
import { ORIGIN_PREDICTION, ORIGIN_TARGET } from '../python/tensor';
import type { TraceEntry } from '../python/trace';
import type { DiscoveredLoss } from './discover';
import { type ContextHints, predictionFromHints } from './hints';
import { syntheticInputs } from './synthetic';
import { orderFromNames } from './checks/argumentOrder';
import { labelBroadcast } from './checks/shapeMismatch';

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

export function resolveContract(program: LossProgram, loss: DiscoveredLoss, callable: PyValue, framework: Framework, given: Partial<Contract>, hints: ContextHints, isCancelled?: () => boolean): ContractResolution {
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
  // Theano and numpy losses are called by the user's own code: the parameter names are the best guess.
  const named = framework === 'theano' || framework === 'numpy' ? orderFromNames(loss.params) : undefined;
  if (named) take('argOrder', named, 'convention', { line: loss.range.line, why: `parameters (${loss.params.slice(0, 2).join(', ')})` });
  take('argOrder', defaultArgOrder(framework), 'convention');
  if (hints.layout) take('layout', hints.layout.value, 'context', hints.layout);
  take('layout', defaultLayout(framework), 'convention');
  const prediction = predictionFromHints(hints);
  if (prediction) take('prediction', prediction.value, 'context', prediction);
  if (hints.labels) take('labels', hints.labels.value, 'context', hints.labels);
  const classes = hints.classes ?? hints.outputChannels ?? (loss.classesHint ? { value: loss.classesHint, line: loss.range.line, why: `a default of ${loss.classesHint} classes in the signature` } : undefined);
  if (classes) take('classes', classes.value, 'context', classes);
  if (hints.spatialDims) take('spatialDims', hints.spatialDims.value, 'context', hints.spatialDims);
  take('spatialDims', 2, 'convention');

  const torch = framework === 'torch';
  const labelOptions = (free: boolean): LabelFormat[] => (fixed.labels && !free ? [fixed.labels] : torch ? ['sparse', 'onehot'] : ['onehot', 'sparse']);
  const classOptions = (free: boolean): number[] =>
    fixed.classes !== undefined && !free ? [fixed.classes] : [...new Set([...(loss.classesHint ? [loss.classesHint] : []), 3, 2, 1, 4, 5, 10])];
  const contextFields = FIELDS.filter((f) => sources[f] === 'context' && f !== 'framework');

  const finish = (chosen: Contract, trialWorked: boolean): ResolvedContract => {
    for (const field of ['labels', 'prediction', 'classes'] as const) {
      if (!sources[field] || ((sources[field] === 'context' || sources[field] === 'convention') && chosen[field] !== fixed[field] && fixed[field] !== undefined)) {
        sources[field] = trialWorked ? 'trial' : 'convention';
        delete because[field];
      }
    }
    const inferred = FIELDS.filter((f) => sources[f] !== 'given');
    const guessed = FIELDS.filter((f) => sources[f] === 'trial' || sources[f] === 'convention').length;
    const confidence = guessed <= 2 ? 'high' : trialWorked ? 'medium' : 'low';
    return { ...chosen, inferred, sources, because, confidence };
  };

  const run = (candidate: Contract, kind: 'random' | 'perfect') =>
    program.evaluate(callable, syntheticInputs(candidate, kind), { framework, argOrder: candidate.argOrder, valueOnly: true, isCancelled });

  // The prediction domain: given, from the model's activation, or from whether the loss activates
  // its input itself (a loss that applies sigmoid/softmax expects logits).
  const domainFor = (candidate: Omit<Contract, 'prediction'>, free: boolean): PredictionDomain[] => {
    if (fixed.prediction && !free) return [fixed.prediction];
    // Keras/TF/Theano/numpy models end in an activation by convention, so their losses get
    // probabilities (one that activates again is what double-activation reports) unless the loss
    // feeds the prediction to a from-logits built-in. PyTorch models usually return logits: there
    // any activation the loss applies tells.
    // Plain TF code (custom loops, from_logits) is treated like PyTorch; a loss that names its
    // input logits says so itself.
    const activationTells = torch || framework === 'tf' || /logit/i.test(`${loss.name} ${loss.params.join(' ')}`);
    const convention: PredictionDomain = activationTells ? 'logits' : 'probabilities';
    try {
      const { trace } = run({ ...candidate, prediction: convention } as Contract, 'random');
      const logits = activationTells ? activatesPrediction(trace) : activatesPrediction(trace, FROM_LOGITS);
      if (!activationTells && !logits) sources.prediction = 'convention';
      return [logits ? 'logits' : 'probabilities'];
    } catch {
      return activationTells ? ['logits', 'probabilities'] : ['probabilities', 'logits'];
    }
  };

  /** Candidates in order of preference; `free` also varies the fields the file's context fixed. */
  function* candidateContracts(free: boolean): Generator<Contract> {
    for (const classes of classOptions(free)) {
      for (const labels of labelOptions(free)) {
        // Sparse maps come with or without a size-1 channel axis; the layout's convention first.
        const channelOptions = labels === 'sparse' ? (fixed.layout === 'channels_last' ? [true, false] : [false, true]) : [undefined];
        for (const sparseChannel of channelOptions) {
          const partial = { ...(fixed as Contract), classes, labels, ...(sparseChannel === undefined ? {} : { sparseChannel }) };
          for (const prediction of domainFor(partial, free)) yield { ...partial, prediction };
        }
      }
    }
  }

  let firstRunning: Contract | undefined;
  let firstError: InterpreterError | undefined;
  /** The first candidate under which the loss runs and prefers the perfect prediction; else undefined. */
  const trial = (candidates: Iterable<Contract>): ContractResolution | undefined => {
    for (const candidate of candidates) {
      try {
        const randomRun = run(candidate, 'random');
        const random = randomRun.value;
        const perfect = run(candidate, 'perfect').value;
        firstRunning ??= candidate;
        // A class map broadcast over the class channels means these are not the labels the loss
        // expects (unless the user or the file says so: then shape-mismatch reports it).
        if (sources.labels !== 'given' && sources.labels !== 'context' && labelBroadcast(randomRun.trace, candidate)) continue;
        // Either direction is a consistent contract for a loss of unknown role (a metric rises).
        const better = loss.role === 'metric' ? perfect > random : loss.role === 'loss' ? perfect < random : perfect !== random;
        if (Number.isFinite(random) && Number.isFinite(perfect) && better) return { contract: finish(candidate, true) };
      } catch (error) {
        if (!(error instanceof InterpreterError) || ['limit', 'cancelled', 'sandbox', 'unsupported'].includes(error.kind)) {
          // Not a contract problem: the loss cannot run here at all.
          return { contract: finish(candidate, false), error: error instanceof InterpreterError ? error : new InterpreterError('python', String(error)) };
        }
        firstError ??= error;
      }
    }
    return undefined;
  };
  for (const free of contextFields.length ? [false, true] : [false]) {
    const found = trial(candidateContracts(free));
    if (found) return found;
    if (firstRunning) return { contract: finish(firstRunning, false) };
  }
  // Nothing runs on (N, C, H, W) / (N, H, W, C) tensors: a loss written for (pixels, classes)
  // matrices (Lasagne reshapes its output before the softmax). Unless the layout was given.
  if (sources.layout !== 'given') {
    const flattened = function* (): Generator<Contract> {
      for (const candidate of candidateContracts(true)) yield { ...candidate, layout: 'channels_last', flattened: true, ...(candidate.labels === 'sparse' ? { sparseChannel: false } : {}) };
    };
    const [source, evidence] = [sources.layout, because.layout];
    sources.layout = 'trial';
    because.layout = { line: loss.range.line, why: 'the loss runs only on (pixels, classes) matrices' };
    const found = trial(flattened());
    if (found) return found;
    if (firstRunning) return { contract: finish(firstRunning, false) };
    sources.layout = source;
    if (evidence) because.layout = evidence;
    else delete because.layout;
  }
  const fallback: Contract = { ...(fixed as Contract), classes: classOptions(false)[0], labels: labelOptions(false)[0], prediction: fixed.prediction ?? (torch ? 'logits' : 'probabilities') };
  return { contract: finish(fallback, false), error: firstError };
}

/** Built-in losses that take logits. */
const FROM_LOGITS = new Set([
  'cross_entropy', 'binary_cross_entropy_with_logits', 'softmax_cross_entropy_with_logits', 'sigmoid_cross_entropy_with_logits',
  'sparse_softmax_cross_entropy_with_logits', 'weighted_cross_entropy_with_logits', 'sigmoid_binary_crossentropy',
]);
const ACTIVATIONS = new Set(['sigmoid', 'softmax', 'log_softmax', 'logsoftmax', 'logsigmoid', ...FROM_LOGITS]);

/** Whether the loss applies one of `ops` (by default any activation or from-logits loss) to the raw prediction. */
export function activatesPrediction(trace: readonly TraceEntry[], ops: ReadonlySet<string> = ACTIVATIONS): boolean {
  return trace.some((e) => ops.has(e.op) && e.inputs.some((i) => (i.origin & ORIGIN_PREDICTION) !== 0 && (i.origin & ORIGIN_TARGET) === 0));
}
