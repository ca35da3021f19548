// The fields of a loss's contract as far as they are known before any trial run: each from, in
// order, an explicit setting or flag, the code around the loss (hints), the framework's
// conventions. Records where each field came from and the line that decided it; the search
// (contractSearch.ts) settles the rest by trial and then finishes the record.
import {
  type Contract,
  type ContractField,
  type FieldSource,
  type Framework,
  type ResolvedContract,
  defaultArgOrder,
  defaultLayout,
} from '../contract';
import type { DiscoveredLoss } from './discover';
import { CONTRACT_FIELDS } from '../contractFields';
import { type ContextHints, predictionFromHints } from './hints';
import { orderFromNames } from './queries/argumentNames';
import type { Described } from './queries/described';

const FIELDS: ContractField[] = CONTRACT_FIELDS.map((field) => field.key);

type Evidence = { line: number; why: string; file?: string };

export class KnownFields {
  /** Values decided before any trial. */
  readonly fixed: Partial<Contract> = {};
  readonly sources: ResolvedContract['sources'] = {};
  readonly because: ResolvedContract['because'] = {};
  /** Why a trial run chose a value the file or the convention did not say (3-D only, the names' order). */
  readonly trialEvidence: ResolvedContract['because'] = {};
  /** Whether class maps come with a size-1 channel axis, when the loss's docstring shows their shape. */
  sparseChannel?: boolean;

  /** Sets a field unless a stronger source (an earlier call) decided it already. */
  take<K extends ContractField>(field: K, value: Contract[K] | undefined, source: FieldSource, evidence?: Evidence) {
    if (value === undefined || this.fixed[field] !== undefined) return;
    this.fixed[field] = value;
    this.sources[field] = source;
    if (evidence) {
      const { line, why, file } = evidence;
      this.because[field] = file ? { line, why, file } : { line, why };
    }
  }

  /** Fields the file's code decided (the framework aside): a second search may vary them. */
  contextFields(): ContractField[] {
    return FIELDS.filter((f) => this.sources[f] === 'context' && f !== 'framework');
  }

  /**
   * The contract under which the loss is diagnosed: the chosen candidate, with the label format,
   * prediction domain and class count it brought recorded as found by trial (or as a guess when
   * no candidate worked), and an overall confidence.
   */
  finish(chosen: Contract, trialWorked: boolean): ResolvedContract {
    const { fixed, sources, because } = this;
    for (const field of ['labels', 'prediction', 'classes', 'argOrder', 'spatialDims'] as const) {
      const source = sources[field];
      // The file or the convention said one thing, the candidate that worked another.
      const weak = source === 'context' || source === 'convention';
      const overruled = weak && chosen[field] !== fixed[field] && fixed[field] !== undefined;
      if (!source || overruled) {
        sources[field] = trialWorked ? 'trial' : 'convention';
        delete because[field];
        const evidence = this.trialEvidence[field];
        if (trialWorked && overruled && evidence) because[field] = evidence;
      }
    }
    const inferred = FIELDS.filter((f) => sources[f] !== 'given');
    const guessed = FIELDS.filter((f) => sources[f] === 'trial' || sources[f] === 'convention').length;
    const confidence = guessed <= 2 ? 'high' : trialWorked ? 'medium' : 'low';
    return { ...chosen, inferred, sources, because, confidence };
  }
}

/** What the diagnosis adds to the code's hints: a class count its constructor's arguments fix. */
export interface ConstructionFacts {
  classes?: Evidence & { value: number };
}

/** The fields the settings, the file and the framework decide, strongest source first. */
export function knownFields(
  loss: DiscoveredLoss,
  framework: Framework,
  given: Partial<Contract>,
  hints: ContextHints,
  construction: ConstructionFacts = {},
  described: Described = {},
): KnownFields {
  const fields = new KnownFields();
  for (const field of FIELDS) fields.take(field, given[field] as never, 'given');
  // numpy for a helper the project evaluates on arrays (queries/numpyEvaluation.ts): the call says so.
  const arrays = framework === 'numpy' ? hints.numpyInputs.get(loss.name) : undefined;
  fields.take('framework', framework, 'context', arrays);
  // A loss that takes one dict finds its inputs by key: the order is its keys' (dictInput.ts).
  if (loss.dictInput) {
    const { prediction, labels, line, file } = loss.dictInput;
    const why = `the loss takes one dict: the prediction under '${prediction[0]}', the labels under '${labels}'`;
    fields.take('argOrder', 'pred_true', 'context', { line, why, ...(file ? { file } : {}) });
  }
  const compiled = hints.compiledLosses.get(loss.name);
  const compiledOrder = compiled ? { ...compiled, value: 'true_pred' as const } : undefined;
  // A call site (the file's own or a project file's) shows the order; keywords go by the signature.
  const order = hints.callOrder.get(loss.name) ?? compiledOrder;
  if (order) fields.take('argOrder', order.value, 'context', order);
  // Caffe's net gives a loss layer the prediction in bottom[0] and the labels in bottom[1], as (N, C, H, W) blobs.
  if (loss.caffeLayer) {
    const why = 'a Caffe loss layer reads the prediction from bottom[0], the labels from bottom[1]';
    fields.take('argOrder', 'pred_true', 'convention', { line: loss.range.line, why });
    fields.take('layout', 'channels_first', 'convention', {
      line: loss.range.line,
      why: 'Caffe blobs are (N, C, H, W)',
    });
  }
  // Code that calls its losses itself (plain TensorFlow, Theano, numpy) names the parameters in the
  // order it passes them; Keras and PyTorch call losses in their own order, whatever the names.
  const named = framework === 'keras' || framework === 'torch' ? undefined : orderFromNames(loss.params);
  const why = `parameters (${loss.params.slice(0, 2).join(', ')})`;
  if (named) fields.take('argOrder', named, 'convention', { line: loss.range.line, why });
  fields.take('argOrder', defaultArgOrder(framework), 'convention');
  // What the loss says of itself (its docstring, comments, a range(2, ndim) idiom) after the code
  // around it: a model's layer or a call site is code, a docstring only words.
  if (hints.layout) fields.take('layout', hints.layout.value, 'context', hints.layout);
  if (described.layout) fields.take('layout', described.layout.value, 'context', described.layout);
  fields.take('layout', defaultLayout(framework), 'convention');
  // What a call site passes is what the loss receives; else the model's final activation.
  const prediction = hints.callPrediction.get(loss.name) ?? predictionFromHints(hints);
  if (prediction) fields.take('prediction', prediction.value, 'context', prediction);
  if (hints.labels) fields.take('labels', hints.labels.value, 'context', hints.labels);
  if (described.labels) fields.take('labels', described.labels.value, 'context', described.labels);
  fields.sparseChannel = described.sparseChannel?.value;
  const { classesHint } = loss;
  const fromSignature = classesHint
    ? { value: classesHint, line: loss.range.line, why: `a default of ${classesHint} classes in the signature` }
    : undefined;
  const classes =
    construction.classes ??
    hints.classes ??
    hints.outputChannels ??
    described.exampleClasses ??
    fromSignature ??
    described.classes;
  if (classes) fields.take('classes', classes.value, 'context', classes);
  if (hints.spatialDims) fields.take('spatialDims', hints.spatialDims.value, 'context', hints.spatialDims);
  if (described.spatialDims) fields.take('spatialDims', described.spatialDims.value, 'context', described.spatialDims);
  fields.take('spatialDims', 2, 'convention');
  return fields;
}
