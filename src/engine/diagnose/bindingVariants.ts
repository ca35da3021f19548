// The ways to call a loss where its code leaves a shape open, preferred first; the diagnosis takes
// the first under which the loss runs. A loss over `*inputs` gets its prediction as each head count
// it unpacks, or as itself (queries/predictionHeads.ts); pixel weights come shaped like the labels,
// then like one label map ((N, H, W) weights next to (N, C, H, W) one-hot labels, as a loss that
// checks `weights.size(1) == logits.size(2)` wants them).
import type { ArgumentBinding } from '../program';
import type { ArgumentSource } from './construct';
import type { ContractResolution } from './contractSearch';
import type { DiscoveredLoss } from './discover';
import { type ExtraTensorKind, classCountOf, extraTensor } from './extraTensors';
import type { ForeignHead } from './queries/predictionHeads';

/** One argument after the prediction and the labels: a tensor made from them, or the class count. */
export interface ExtraArgument {
  param: string;
  kind: ExtraTensorKind | 'classes';
}

export interface BindingVariant {
  binding?: ArgumentBinding;
  notes: ArgumentSource[];
}

/** What every variant shares: the keywords, modules and labels replacement, with their notes. */
export interface CommonBinding {
  binding: Pick<ArgumentBinding, 'keywords' | 'modules' | 'labelsAs'>;
  /** Notes listed before the heads and the extra tensors (backend, distance labels), and after (keywords). */
  before: ArgumentSource[];
  after: ArgumentSource[];
}

const WHY: Record<ExtraArgument['kind'], string> = {
  classes: "the prediction's class channels (the contract's class count)",
  weights: 'ones shaped like the labels (neutral pixel weights)',
  'pixel-weights': 'ones shaped like one label map, (N, *spatial), without a class axis (neutral pixel weights)',
  distance: 'signed distance maps of the labels, one per class, shaped like the prediction (negative inside)',
};

type Maker = NonNullable<ArgumentBinding['extras']>[number];

function extrasBinding(extras: readonly ExtraArgument[], line: number) {
  const makers = extras.map(({ kind }): Maker =>
    kind === 'classes'
      ? (prediction) => classCountOf(prediction)
      : (prediction, target) => extraTensor(kind, prediction, target),
  );
  const notes = extras.map(({ param, kind }) => ({
    arg: param,
    value: kind === 'pixel-weights' ? 'weights' : kind,
    line,
    why: `${param}: ${WHY[kind]}`,
  }));
  return { makers, notes };
}

function headsNote(heads: number, line: number): ArgumentSource {
  const one = heads === 1;
  const why =
    'the loss unpacks a tuple of heads and the labels from *inputs: called with the prediction as ' +
    (one ? 'one head' : `each of its ${heads} heads`);
  return { arg: 'inputs', value: one ? '(prediction,)' : `(prediction,) * ${heads}`, line, why };
}

/**
 * Every way to call the loss, preferred first: each head count (0: the prediction itself) times
 * each shape of pixel weights. `defLine` is the loss function's line (the heads' note), `line` the loss's.
 */
export function bindingVariants(
  common: CommonBinding,
  extras: readonly ExtraArgument[],
  headCounts: readonly number[] | undefined,
  lines: { def: number; loss: number },
): BindingVariant[] {
  const weightShapes: (readonly ExtraArgument[])[] = [extras];
  if (extras.some((e) => e.kind === 'weights'))
    weightShapes.push(extras.map((e) => (e.kind === 'weights' ? { ...e, kind: 'pixel-weights' } : e)));
  const variants: BindingVariant[] = [];
  for (const heads of headCounts?.length ? headCounts : [0]) {
    for (const shapes of weightShapes) {
      const { makers, notes } = extrasBinding(shapes, lines.loss);
      const binding: ArgumentBinding = {
        ...common.binding,
        keywords: common.binding.keywords ?? [],
        extras: makers,
        predictionHeads: heads || undefined,
      };
      const bound = makers.length || binding.keywords!.length || binding.modules?.length || binding.labelsAs || heads;
      variants.push({
        binding: bound ? binding : undefined,
        notes: [...common.before, ...(heads ? [headsNote(heads, lines.def)] : []), ...notes, ...common.after],
      });
    }
  }
  return variants;
}

/**
 * Which of two resolutions to report: one that worked; else one that ran; else the error of the
 * one that got further (more tensor operations before it failed), the first of equals.
 */
export function preferred(current: ContractResolution, next: ContractResolution): boolean {
  if (current.worked) return false;
  if (next.worked) return true;
  if (!current.error) return false;
  if (!next.error) return true;
  return (next.error.progress ?? 0) > (current.error.progress ?? 0);
}

/** The report of a loss one of whose heads is no segmentation map: it needs them from the user. */
export function foreignHeadError(loss: DiscoveredLoss, foreign: ForeignHead) {
  const heads = foreign.heads.join(', ');
  const callable = loss.kind === 'class' ? `${loss.owner ?? loss.name}()` : loss.entry;
  const example = foreign.heads.map((h) => (h === foreign.head ? h : 'p')).join(', ');
  return {
    kind: 'unsupported',
    message:
      `${loss.name} needs arguments (${foreign.head}): it takes its heads (${heads}) as one tuple before the ` +
      `labels (line ${foreign.line}), and compares ${foreign.head} with ${foreign.other}, which it builds from ` +
      `the labels itself (line ${foreign.otherLine}): ${foreign.head} is no segmentation map shaped like the ` +
      'prediction, and nothing in the project says its shape. Pass --entry with a lambda that supplies the ' +
      `heads, e.g. --entry "lambda p, t: ${callable}((${example}), t)"`,
    line: loss.range.line,
  };
}
