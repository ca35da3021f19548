// Chooses the contract a loss is diagnosed under. The fields the settings, the file and the
// framework decide come first (contractSources.ts); trial settles the rest: the first candidate
// under which the loss runs and a perfect prediction scores better than a random one. Before it
// gives up, the search adapts: the arguments in the order the parameters name them when the
// convention's order fails, 3-D volumes when nothing runs on images (the code's clue said why),
// then (pixels, classes) matrices.
import type { ArgOrder, Contract, Framework, LabelFormat, PredictionDomain, ResolvedContract } from '../contract';
import type { LossProgram } from '../program';
import { InterpreterError } from '../python/errors';
import type { PyValue } from '../python/values';
import type { TensorInfo, TraceEntry } from '../python/trace';
import { type ConstructionFacts, type KnownFields, knownFields } from './contractSources';
import type { DiscoveredLoss } from './discover';
import type { ContextHints } from './hints';
import { activatesPrediction, feedsFromLogitsLoss } from './queries/activation';
import { orderFromNames } from './queries/argumentNames';
import { type Described, type InheritedDoc, describedContract } from './queries/described';
import { axisProvenance } from './queries/axisProvenance';
import { labelBroadcast } from './queries/labelBroadcast';
import { singletonSoftmax } from './queries/softmax';
import { onlyPrediction, onlyTarget } from './queries/origin';
import { syntheticInputs } from './synthetic';

export interface ContractResolution {
  contract: ResolvedContract;
  /** Set when the loss could not run under any candidate (the preferred candidate's error). */
  error?: InterpreterError;
  /** Whether a candidate ran and told a perfect prediction from a random one. */
  worked: boolean;
  /** The loss fails on integer class maps (this error) and was analysed on float ones (`floatLabels`). */
  integerLabelError?: InterpreterError;
}

/** The loss's callable under a contract (its constructor may take the class count). */
export type CallableFor = (contract: Contract) => PyValue;

/** What the code says about volumes, for the 3-D retry's record. */
export interface SearchClues {
  volumetric?: { line: number; why: string; file?: string };
  /** Code written for exactly two classes (queries/twoClasses.ts): two are tried first. */
  twoClasses?: { line: number; why: string };
  /** The docstring of the base method the loss's call method overrides without one (inheritedDoc.ts). */
  inheritedDoc?: InheritedDoc;
}

export function resolveContract(
  program: LossProgram,
  loss: DiscoveredLoss,
  callableFor: CallableFor,
  framework: Framework,
  given: Partial<Contract>,
  hints: ContextHints,
  isCancelled?: () => boolean,
  construction: ConstructionFacts = {},
  clues: SearchClues = {},
): ContractResolution {
  const described = describedContract(program.module, loss, clues.inheritedDoc);
  const fields = knownFields(loss, framework, given, hints, construction, described);
  const search = new ContractSearch(program, loss, callableFor, framework, fields, clues, isCancelled);
  return search.resolve(described.prediction);
}

/** Errors that say the loss cannot run here at all, under any contract. */
const FATAL_ERRORS = ['limit', 'cancelled', 'sandbox', 'unsupported'];

/** Whether the raw labels meet the prediction itself in a broadcast that pairs images across the batch. */
function labelsPairBatches(trace: readonly TraceEntry[], contract: Contract): boolean {
  const rank = (contract.spatialDims ?? 2) + 2;
  return axisProvenance(trace, contract).crossBatch.some(({ entry }) => {
    const [a, b] = entry.inputs;
    const raw = (t: TensorInfo | undefined, wanted: (t: TensorInfo) => boolean) =>
      t !== undefined && wanted(t) && t.shape.length >= rank - 1;
    return (raw(a, onlyTarget) && raw(b, onlyPrediction)) || (raw(a, onlyPrediction) && raw(b, onlyTarget));
  });
}

/** A limit met by a last-resort candidate (volumes, matrices) after image candidates raised: those stand. */
class LastResortLimit extends Error {}

/** Puts a record back as it was (fields added since removed). */
function restore<T extends object>(record: T, saved: T): void {
  for (const key of Object.keys(record) as (keyof T)[]) if (!(key in saved)) delete record[key];
  Object.assign(record, saved);
}

class ContractSearch {
  /** The first consistent candidate the loss ran under, and the first error a candidate raised: fallbacks. */
  private firstRunning: Contract | undefined;
  /** The first candidate under which a perfect prediction scored clearly on the other side (a sign error?). */
  private firstReversed: Contract | undefined;
  /** Set once the image candidates are exhausted (volumes, (pixels, classes) matrices). */
  private lastResort = false;
  /** The error of the image candidate that ran the most tensor ops before failing (the first of equals). */
  private firstError: InterpreterError | undefined;
  private lastError: InterpreterError | undefined;
  /** What the loss raised on integer class maps, when it was analysed on float ones instead. */
  private integerLabelError: InterpreterError | undefined;

  constructor(
    private readonly program: LossProgram,
    private readonly loss: DiscoveredLoss,
    private readonly callableFor: CallableFor,
    private readonly framework: Framework,
    private readonly fields: KnownFields,
    private readonly clues: SearchClues,
    private readonly isCancelled?: () => boolean,
  ) {}

  /** What the loss's docstring or comments say it receives: taken where the code agrees. */
  private described: Described['prediction'];

  resolve(described?: Described['prediction']): ContractResolution {
    this.described = described;
    const resolution = this.search();
    // Two classes chosen by trial for code written for two: the code says why.
    const { contract } = resolution;
    const clue = this.clues.twoClasses;
    if (clue && contract.classes === 2 && contract.sources.classes === 'trial') contract.because.classes = clue;
    return resolution;
  }

  private search(): ContractResolution {
    // First the candidates that keep what the file says; then, if none works, every candidate.
    for (const free of this.fields.contextFields().length ? [false, true] : [false]) {
      const found = this.trial(this.candidates(free)) ?? this.settled();
      if (found) return found;
    }
    this.lastResort = true;
    const sources = { ...this.fields.sources };
    const because = { ...this.fields.because };
    try {
      return (
        this.volumeResolution() ??
        this.channellessResolution() ??
        this.flattenedResolution() ??
        this.fallbackResolution()
      );
    } catch (error) {
      if (!(error instanceof LastResortLimit)) throw error;
      // Larger or reshaped inputs hit a limit (a per-element loop over a volume): the error the loss
      // raised on images is what it does under the contract it was written for.
      restore(this.fields.sources, sources);
      restore(this.fields.because, because);
      return this.fallbackResolution();
    }
  }

  private get torch(): boolean {
    return this.framework === 'torch';
  }

  private run(candidate: Contract, kind: 'random' | 'perfect') {
    const { framework, isCancelled } = this;
    const options = { framework, argOrder: candidate.argOrder, valueOnly: true, isCancelled };
    return this.program.evaluate(this.callableFor(candidate), syntheticInputs(candidate, kind), options);
  }

  /** Whether a field keeps its fixed value in a search `free` to vary what the file said (a given one always does). */
  private keeps(field: 'labels' | 'classes' | 'prediction', free: boolean): boolean {
    return this.fields.fixed[field] !== undefined && (!free || this.fields.sources[field] === 'given');
  }

  private labelOptions(free: boolean): LabelFormat[] {
    const { labels } = this.fields.fixed;
    return labels && this.keeps('labels', free) ? [labels] : this.torch ? ['sparse', 'onehot'] : ['onehot', 'sparse'];
  }

  private classOptions(free: boolean): number[] {
    const { classes } = this.fields.fixed;
    if (classes !== undefined && this.keeps('classes', free)) return [classes];
    // A loss named binary (BinaryFocalLoss, binary_dice, BCEDiceLoss) is written for one foreground channel.
    const binary = /binary|bce/i.test(this.loss.name) ? [1] : [];
    const first = this.clues.twoClasses ? [2] : this.loss.classesHint ? [this.loss.classesHint] : binary;
    return [...new Set([...first, 3, 2, 1, 4, 5, 10])];
  }

  /**
   * The argument orders to try: the one the settings, a call site or the convention give; when only
   * the convention does and the parameter names say the other, that one after it (a loss that
   * runs only so is written for it: a framework's habit is no evidence against its own names).
   */
  private orderOptions(): ArgOrder[] {
    const { fixed, sources } = this.fields;
    const order = fixed.argOrder!;
    const named = orderFromNames(this.loss.params);
    if (sources.argOrder !== 'convention' || !named || named === order) return [order];
    this.fields.trialEvidence.argOrder = {
      line: this.loss.range.line,
      why: `the loss runs only with its arguments in the order its parameters name them (${this.loss.params
        .slice(0, 2)
        .join(', ')})`,
    };
    return [order, named];
  }

  /**
   * The prediction domain: given, from the model's activation, or from whether the loss activates
   * its input itself (a loss that applies sigmoid/softmax expects logits).
   */
  private predictionDomains(candidate: Omit<Contract, 'prediction'>, free: boolean): PredictionDomain[] {
    const { fixed, sources } = this.fields;
    if (fixed.prediction && this.keeps('prediction', free)) return [fixed.prediction];
    // Keras/TF/Theano/numpy models end in an activation by convention, so their losses get
    // probabilities (one that activates again is what double-activation reports) unless the loss
    // feeds the prediction to a from-logits built-in. PyTorch models usually return logits: there
    // any activation the loss applies tells.
    // Plain TF code (custom loops, from_logits) is treated like PyTorch; a loss that names its
    // input logits says so itself.
    const { name, params } = this.loss;
    const activationTells = this.torch || this.framework === 'tf' || /logit/i.test(`${name} ${params.join(' ')}`);
    const convention: PredictionDomain = activationTells ? 'logits' : 'probabilities';
    try {
      const { trace } = this.run({ ...candidate, prediction: convention } as Contract, 'random');
      // The loss's own words count where its code agrees: it activates what it calls logits.
      const { described } = this;
      if (
        described &&
        fixed.prediction === undefined &&
        (described.value === 'logits') === activatesPrediction(trace)
      ) {
        sources.prediction = 'context';
        this.fields.because.prediction = { line: described.line, why: described.why };
        return [described.value];
      }
      const logits = activationTells ? activatesPrediction(trace) : feedsFromLogitsLoss(trace);
      if (!activationTells && !logits) sources.prediction = 'convention';
      return [logits ? 'logits' : 'probabilities'];
    } catch {
      return activationTells ? ['logits', 'probabilities'] : ['probabilities', 'logits'];
    }
  }

  /** Candidates in order of preference; `free` also varies the fields the file's context fixed. */
  private *candidates(free: boolean, overrides: Partial<Contract> = {}): Generator<Contract> {
    const { fixed } = this.fields;
    const classOptions = overrides.classes !== undefined ? [overrides.classes] : this.classOptions(free);
    for (const classes of classOptions) {
      for (const argOrder of this.orderOptions()) {
        for (const labels of this.labelOptions(free)) {
          // Sparse maps come with or without a size-1 channel axis; the layout's convention first.
          const preferred = this.fields.sparseChannel ?? fixed.layout === 'channels_last';
          const channelsLastFirst = overrides.channelless ? [false] : [preferred, !preferred];
          for (const sparseChannel of labels === 'sparse' ? channelsLastFirst : [undefined]) {
            const channel = sparseChannel === undefined ? {} : { sparseChannel };
            const partial = { ...(fixed as Contract), ...overrides, classes, argOrder, labels, ...channel };
            for (const prediction of this.predictionDomains(partial, free)) yield { ...partial, prediction };
          }
        }
      }
    }
  }

  /** Every candidate reshaped for a loss written for (pixels, classes) matrices. */
  private *flattenedCandidates(): Generator<Contract> {
    for (const candidate of this.candidates(true)) {
      const channel = candidate.labels === 'sparse' ? { sparseChannel: false } : {};
      yield { ...candidate, layout: 'channels_last', flattened: true, ...channel };
    }
  }

  /** The first candidate under which the loss runs and prefers the perfect prediction; else undefined. */
  private trial(candidates: Iterable<Contract>): ContractResolution | undefined {
    for (const candidate of candidates) {
      const outcome = this.attempt(candidate);
      if (outcome !== 'failed') {
        if (outcome) return outcome;
        continue;
      }
      // Class maps the settings or the file fix that fail as integers: pipelines often feed them as
      // floats (after / 255. or astype); the loss is analysed on those, and the failure noted. So are
      // binary masks (one channel), which pipelines load as floats far more often than as integers.
      const error = this.lastError;
      const floatsLikely = this.labelsKnown || candidate.classes === 1;
      if (candidate.labels !== 'sparse' || candidate.floatLabels || !floatsLikely || error?.kind !== 'python') continue;
      const floated = this.attempt({ ...candidate, floatLabels: true });
      if (floated === 'failed') continue;
      // The dtype hazard is worth a note where the format is known; a guessed binary mask is a float.
      if (!this.labelsKnown) {
        if (floated) return floated;
        continue;
      }
      this.integerLabelError ??= error;
      if (floated) return { ...floated, integerLabelError: error };
    }
    return undefined;
  }

  private get labelsKnown(): boolean {
    const { labels } = this.fields.sources;
    return labels === 'given' || labels === 'context';
  }

  /**
   * One candidate: a resolution when it works (or an error that ends the search), undefined when it
   * runs but is not the one, 'failed' when the loss raised under it (`lastError`).
   */
  private attempt(candidate: Contract): ContractResolution | undefined | 'failed' {
    const { loss, fields } = this;
    try {
      const randomRun = this.run(candidate, 'random');
      const random = randomRun.value;
      const perfect = this.run(candidate, 'perfect').value;
      // A class map broadcast over the class channels means these are not the labels the loss
      // expects (unless the user or the file says so: then shape-mismatch reports it).
      if (!this.labelsKnown && labelBroadcast(randomRun.trace, candidate)) return undefined;
      // Likewise labels whose shape pairs their batch axis with another axis of the prediction
      // ((N, H, W) against (N, 1, H, W)); a loss's own reductions that do so are its bug instead.
      if (!this.labelsKnown && labelsPairBatches(randomRun.trace, candidate)) return undefined;
      // A softmax over one channel is constant: code written for several classes, unless the
      // settings or the file say one (then that softmax is the loss's bug, for the checks to see).
      const oneChannelSaid = ['given', 'context'].includes(this.fields.sources.classes ?? '');
      if (!oneChannelSaid && singletonSoftmax(randomRun.trace)) return undefined;
      this.firstRunning ??= candidate;
      // Either direction is a consistent contract for a loss of unknown role (a metric rises).
      const { role } = loss;
      const better = role === 'metric' ? perfect > random : role === 'loss' ? perfect < random : perfect !== random;
      if (Number.isFinite(random) && Number.isFinite(perfect)) {
        if (better) return { contract: fields.finish(candidate, true), worked: true };
        const scale = Math.max(Math.abs(random), Math.abs(perfect), 1e-6);
        if (Math.abs(perfect - random) > 0.05 * scale) this.firstReversed ??= candidate;
      }
      return undefined;
    } catch (error) {
      if (error instanceof InterpreterError && error.kind === 'limit' && this.lastResort && this.firstError)
        throw new LastResortLimit();
      if (!(error instanceof InterpreterError) || FATAL_ERRORS.includes(error.kind)) {
        const fatal = error instanceof InterpreterError ? error : new InterpreterError('python', String(error));
        return { contract: fields.finish(candidate, false), error: fatal, worked: false };
      }
      // The error of the candidate the loss got furthest with (past its input checks) says most;
      // among the image candidates only (volumes and (pixels, classes) matrices are last resorts).
      const further = !this.lastResort && (error.progress ?? 0) > (this.firstError?.progress ?? 0);
      if (!this.firstError || further) this.firstError = error;
      this.lastError = error;
      return 'failed';
    }
  }

  /**
   * No candidate went the expected way. One under which a perfect prediction scores clearly on
   * the other side is a consistent reading of a loss written the wrong way round (sign-error
   * reports it); else one it merely ran under.
   */
  private settled(): ContractResolution | undefined {
    const chosen = this.firstReversed ?? this.firstRunning;
    if (!chosen) return undefined;
    const floated = chosen.floatLabels ? { integerLabelError: this.integerLabelError } : {};
    return {
      contract: this.fields.finish(chosen, chosen === this.firstReversed),
      worked: chosen === this.firstReversed,
      ...floated,
    };
  }

  /**
   * Nothing runs on images: a loss written for volumes (5-D einsum subscripts, reductions over axes
   * (2, 3, 4), a 3-D network in the project). Unless the settings or the code fixed the dimensions.
   */
  private volumeResolution(): ContractResolution | undefined {
    const { sources, fixed, trialEvidence } = this.fields;
    if (sources.spatialDims === 'given' || sources.spatialDims === 'context' || fixed.spatialDims === 3)
      return undefined;
    const clue = this.clues.volumetric;
    trialEvidence.spatialDims = clue
      ? { ...clue, why: `the loss runs only on 3-D volumes; ${clue.why}` }
      : { line: this.loss.range.line, why: 'the loss runs only on 3-D volumes' };
    return this.trial(this.candidates(true, { spatialDims: 3 })) ?? this.settled();
  }

  /**
   * Nothing runs with a channel axis: a binary loss written for (N, *spatial) maps (called on
   * `logits.squeeze(1)`). Unless the settings or the file gave a class count other than one.
   */
  private channellessResolution(): ContractResolution | undefined {
    const { sources, fixed, because } = this.fields;
    if (fixed.classes !== undefined && fixed.classes !== 1 && sources.classes !== 'trial') return undefined;
    if (sources.layout === 'given') return undefined;
    const [source, evidence] = [sources.layout, because.layout];
    sources.layout = 'trial';
    because.layout = { line: this.loss.range.line, why: 'the loss runs only on (N, *spatial) maps, one class' };
    const found = this.trial(this.candidates(true, { channelless: true, classes: 1 })) ?? this.settled();
    if (found) return found;
    sources.layout = source;
    if (evidence) because.layout = evidence;
    else delete because.layout;
    return undefined;
  }

  /**
   * Nothing runs on (N, C, H, W) / (N, H, W, C) tensors: a loss written for (pixels, classes)
   * matrices (Lasagne reshapes its output before the softmax). Unless the layout was given.
   */
  private flattenedResolution(): ContractResolution | undefined {
    const { sources, because } = this.fields;
    if (sources.layout === 'given') return undefined;
    const [source, evidence] = [sources.layout, because.layout];
    sources.layout = 'trial';
    because.layout = { line: this.loss.range.line, why: 'the loss runs only on (pixels, classes) matrices' };
    const found = this.trial(this.flattenedCandidates()) ?? this.settled();
    if (found) return found;
    sources.layout = source;
    if (evidence) because.layout = evidence;
    else delete because.layout;
    return undefined;
  }

  /** No candidate ran: the preferred one, with the error it raised. */
  private fallbackResolution(): ContractResolution {
    const { fixed } = this.fields;
    const prediction = fixed.prediction ?? (this.torch ? 'logits' : 'probabilities');
    const [classes] = this.classOptions(false);
    const [labels] = this.labelOptions(false);
    const fallback: Contract = { ...(fixed as Contract), classes, labels, prediction };
    return { contract: this.fields.finish(fallback, false), error: this.firstError, worked: false };
  }
}
