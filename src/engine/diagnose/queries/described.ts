// What a loss says about its own inputs: its docstring and comments ("y_pred: softmax
// probabilities (N, C, H, W)", "target: integer class map", "raw logits") and the idioms of its code
// (`range(2, x.ndim)` are the spatial axes of channels-first data). Read, never run: evidence for
// the contract search where nothing stronger decides.
import type { LabelFormat, Layout, PredictionDomain } from '../../contract';
import type { FunctionDef, Module, SourceRange, Stmt } from '../../python/ast';
import type { DiscoveredLoss } from '../discover';
import { lossDefinition, lossFunction } from './definition';

interface Evidence<T> {
  value: T;
  line: number;
  why: string;
  /** A base class's docstring in another project file (relative to the root). */
  file?: string;
}

/** The docstring of the method a loss overrides, where its own has none (as `inspect.getdoc` reads it). */
export interface InheritedDoc {
  def: FunctionDef;
  source: string;
  file?: string;
}

type DescribingLine = { text: string; line: number; doc: boolean; file?: string };

export interface Described {
  layout?: Evidence<Layout>;
  /** What the loss says it receives; the search takes it only where the code agrees (contractSearch.ts). */
  prediction?: Evidence<PredictionDomain>;
  labels?: Evidence<LabelFormat>;
  /** Class maps with a size-1 channel axis ((N, 1, H, W), (N, H, W, 1)) or without ((N, H, W)). */
  sparseChannel?: Evidence<boolean>;
  classes?: Evidence<number>;
  /** The prediction's channels in a docstring example's call: code, stronger than a signature's default. */
  exampleClasses?: Evidence<number>;
  spatialDims?: Evidence<2 | 3>;
}

/** A pattern matching any of the alternatives (written one per line). */
const anyOf = (...parts: string[]) => new RegExp(parts.join('|'), 'i');

const LOGIT_WORDS = anyOf(
  String.raw`\blogits?\b`,
  'unnormali[sz]ed',
  String.raw`\braw (network )?(scores?|outputs?|predictions?)\b`,
  'before (the |any )?(softmax|sigmoid|activation)',
  'no (final )?activation',
  'pre-?(softmax|sigmoid|activation)',
);
/** Said of the prediction itself ("y_pred: softmax probabilities"). */
const PROBABILITY_WORDS = anyOf(
  'probabilit',
  String.raw`\b(softmax|sigmoid)(ed)? (outputs?|probabilities|scores|maps?)\b`,
  'after (the )?(softmax|sigmoid)',
  'already (activated|normali[sz]ed)',
  String.raw`in \[0, ?1\]`,
);
/** In the loss's general description, where "probability" may be anything's. */
const GENERAL_PROBABILITY_WORDS =
  /\bprobabilities\b|\b(softmax|sigmoid)(ed)? (outputs|probabilities)\b|already (activated|normali[sz]ed)/i;
const ONE_HOT_WORDS = /one[- ]?hot/i;
const SPARSE_WORDS = /\b(class|label)[- ](index|indices|ids?|maps?)\b|\binteger\b|\bint(8|16|32|64)\b|\bindex maps?\b/i;

const BATCH_TOKEN = /^(n|b|bs|batch|batch_size|num_samples)$/i;
const CLASS_TOKEN = /^(c|k|nc|classes|num_classes|n_classes|nclasses|n_class|num_class|channels|n_channels)$/i;
const SPATIAL_TOKEN = /^(h|w|d|x|y|z|height|width|depth|\*)$/i;

/** A shape written as (N, C, H, W): the class axis's position, the spatial dimensions, a literal class count. */
interface WrittenShape {
  rank: number;
  classAt?: number;
  classCount?: number;
  spatialDims: number;
}

function writtenShapes(text: string): WrittenShape[] {
  const shapes: WrittenShape[] = [];
  for (const match of text.matchAll(/[([]\s*(\w+(?:\s*,\s*\w+){2,4})\s*,?\s*[)\]]/g)) {
    const tokens = match[1].split(',').map((t) => t.trim());
    if (!BATCH_TOKEN.test(tokens[0])) continue;
    const rest = tokens.slice(1);
    if (!rest.every((t) => CLASS_TOKEN.test(t) || SPATIAL_TOKEN.test(t) || /^\d+$/.test(t))) continue;
    const spatialDims = rest.filter((t) => SPATIAL_TOKEN.test(t)).length;
    const named = tokens.findIndex((t) => CLASS_TOKEN.test(t));
    // A literal count where a class axis goes: first (after N) or last, next to spatial axes.
    const literal = [1, tokens.length - 1].find((i) => i > 0 && /^\d+$/.test(tokens[i]));
    const classAt = named > 0 ? named : literal;
    const classCount = named > 0 || literal === undefined ? undefined : Number(tokens[literal]);
    if (spatialDims < 2 || spatialDims + 1 + (classAt === undefined ? 0 : 1) !== tokens.length) continue;
    shapes.push({ rank: tokens.length, classAt, classCount, spatialDims });
  }
  return shapes;
}

/** The lines of a function's docstring (with their line numbers) and the comments in its body. */
function describingLines(source: readonly string[], def: FunctionDef, extra: Stmt[]): DescribingLine[] {
  const docRanges: SourceRange[] = [];
  for (const first of [def.body[0], ...extra]) {
    if (first?.kind === 'expr' && first.value.kind === 'str') docRanges.push(first.range);
  }
  const inDoc = (line: number) => docRanges.some((r) => r.line <= line && line <= r.endLine);
  const lines: DescribingLine[] = [];
  for (const r of docRanges)
    for (let line = r.line; line <= r.endLine; line++) lines.push({ text: source[line - 1] ?? '', line, doc: true });
  for (let line = def.range.line; line <= def.range.endLine; line++) {
    if (inDoc(line)) continue;
    const comment = /#(.*)$/.exec(source[line - 1] ?? '');
    if (comment) lines.push({ text: comment[1], line, doc: false });
  }
  return lines;
}

/** The loss's parameter names for the prediction and the labels, by their words. */
function roleNames(params: readonly string[]): { prediction?: string; target?: string } {
  const [a, b] = params.filter((p) => p !== 'self');
  const saysTarget = (p: string) => /true|target|label|mask|gt|truth|seg|^y$/i.test(p);
  const saysPrediction = (p: string) => /pred|logit|prob|output|input|score|hat|net|^x$/i.test(p);
  if (!a || !b) return {};
  if (saysTarget(a) && !saysTarget(b)) return { target: a, prediction: b };
  if (saysTarget(b) && !saysTarget(a)) return { target: b, prediction: a };
  if (saysPrediction(a) && !saysPrediction(b)) return { prediction: a, target: b };
  if (saysPrediction(b) && !saysPrediction(a)) return { prediction: b, target: a };
  return {};
}

/** The spatial-axes idiom: range(2, ndim) (channels first), range(1, ndim - 1) (channels last). */
const NDIM = `(?:${[
  String.raw`len\(\s*[\w.]+\.shape\s*\)`,
  String.raw`len\(\s*[\w.]+\.size\(\)\s*\)`,
  String.raw`[\w.]+\.ndim`,
  String.raw`[\w.]+\.dim\(\)`,
  String.raw`[\w.]*(?:ndim|rank)\([^()]*\)`,
].join('|')})`;
const FIRST_IDIOM = new RegExp(String.raw`range\(\s*2\s*,\s*${NDIM}\s*\)`);
const LAST_IDIOM = new RegExp(String.raw`range\(\s*1\s*,\s*${NDIM}\s*-\s*1\s*\)`);

/**
 * An input reshaped to (pixels, N) with a literal N: `K.reshape(y_pred, (-1, 4))`,
 * `tf.reshape(y_true, [-1, 4])`, `y_pred.view(-1, 4)`; the name reshaped, and N.
 */
const FLATTEN_CALL = /\breshape\(\s*(\w+)\s*,\s*(?:shape\s*=\s*)?[([]\s*-1\s*,\s*(\d+)\s*[)\]]\s*\)/;
const FLATTEN_METHOD = /\b(\w+)\.(?:reshape|view)\(\s*[([]?\s*-1\s*,\s*(\d+)\s*[)\]]?\s*\)/;

/** `>>> pred = torch.ones((1, 1, 32, 32), dtype=torch.int64)`: a docstring example's tensor and its shape. */
const EXAMPLE_TENSOR =
  /^\s*>>>\s*(\w+)\s*=\s*torch\.(?:ones|zeros|rand|randn|empty)\(\s*\(?\s*(\d+(?:\s*,\s*\d+){2,4})\s*\)?(.*)$/;
/** `>>> loss(pred, grnd)`: the example's call of the loss on two of its tensors. */
const EXAMPLE_CALL = /^\s*>>>\s*(?:\w+\s*=\s*)?\w+\(\s*(\w+)\s*,\s*(\w+)\s*\)\s*$/;

/**
 * What a docstring example that builds tensors and calls the loss on them says (PyTorch, channels
 * first): the class count and dimensions of the prediction, and integer labels with a channel axis.
 */
function exampleContract(lines: DescribingLine[], predictionFirst: boolean) {
  const tensors = new Map<string, { shape: number[]; integer: boolean; line: number }>();
  for (const { text, line, doc } of lines) {
    if (!doc) continue;
    const made = EXAMPLE_TENSOR.exec(text);
    if (made) {
      const shape = made[2].split(',').map(Number);
      tensors.set(made[1], { shape, integer: /int64|long|int32|\bint\b/.test(made[3]), line });
      continue;
    }
    const call = EXAMPLE_CALL.exec(text);
    if (!call || !tensors.has(call[1]) || !tensors.has(call[2])) continue;
    const [prediction, target] = predictionFirst ? [call[1], call[2]] : [call[2], call[1]];
    return { prediction: tensors.get(prediction)!, target: tensors.get(target)!, line };
  }
  return undefined;
}

/** The docstring lines of a base's method, in its own file. */
function inheritedLines(inherited: InheritedDoc): DescribingLine[] {
  const [first] = inherited.def.body;
  if (first?.kind !== 'expr' || first.value.kind !== 'str') return [];
  const source = inherited.source.split('\n');
  const lines: DescribingLine[] = [];
  for (let line = first.range.line; line <= first.range.endLine; line++)
    lines.push({ text: source[line - 1] ?? '', line, doc: true, ...(inherited.file ? { file: inherited.file } : {}) });
  return lines;
}

const indentOf = (text: string) => /^\s*/.exec(text)![0].length;

export function describedContract(module: Module, loss: DiscoveredLoss, inherited?: InheritedDoc): Described {
  const def = lossFunction(module, loss);
  if (!def && !inherited) return {};
  const source = module.source.split('\n');
  const described: Described = {};
  const set = <K extends keyof Described>(key: K, value: NonNullable<Described[K]>) => {
    if (!described[key]) described[key] = value;
  };
  const definition = lossDefinition(module, loss);
  // The class's docstring and its constructor's (where MONAI-style examples live) speak of it too.
  const init =
    definition?.kind === 'class'
      ? definition.body.find((s) => s.kind === 'def' && s.def.name === '__init__')
      : undefined;
  const initDoc = init?.kind === 'def' && init.def.body[0] ? [init.def.body[0]] : [];
  const classDoc = definition?.kind === 'class' && definition.body[0] ? [definition.body[0], ...initDoc] : [];
  const { prediction, target } = roleNames(loss.params);
  const mention = (name: string | undefined) => (name ? new RegExp(String.raw`\b${name}\b`, 'g') : undefined);
  const predictionMention = mention(prediction);
  const targetMention = mention(target);
  const describing = [
    ...(def ? describingLines(source, def, classDoc) : []),
    ...(inherited ? inheritedLines(inherited) : []),
  ];
  const example = exampleContract(describing, prediction === undefined || loss.params.indexOf(prediction) <= 1);
  if (example && example.prediction.shape.length >= 4) {
    const { shape } = example.prediction;
    const why = `the docstring example calls the loss on a (${shape.join(', ')}) prediction`;
    set('exampleClasses', { value: shape[1], line: example.line, why });
    set('layout', { value: 'channels_first', line: example.line, why });
    set('spatialDims', { value: shape.length === 5 ? 3 : 2, line: example.line, why });
    const labels = example.target;
    if (labels.integer && labels.shape.length === shape.length && labels.shape[1] === 1) {
      set('labels', { value: 'sparse', line: labels.line, why: 'integer labels with a channel axis in the example' });
      set('sparseChannel', {
        value: true,
        line: labels.line,
        why: 'integer labels with a channel axis in the example',
      });
    }
  }
  /** The parameter a docstring line spoke of, which its more indented continuation lines still speak of. */
  let carried: { role: 'prediction' | 'target'; indent: number; name: string; file?: string } | undefined;
  for (const { text, line, doc, file } of describing) {
    const at = file ? { line, file } : { line };
    // Split the line where it names a parameter: each piece speaks of the one it follows.
    const marks = [
      ...[...text.matchAll(predictionMention ?? /$^/g)].map((m) => ({ at: m.index ?? 0, role: 'prediction' as const })),
      ...[...text.matchAll(targetMention ?? /$^/g)].map((m) => ({ at: m.index ?? 0, role: 'target' as const })),
    ].sort((a, b) => a.at - b.at);
    const pieces: { role: 'prediction' | 'target' | 'any'; text: string }[] = [];
    // `:param ground_truth: ..., with the` / `    shape of [N, C, H, W].`: the second line is the labels'.
    const continued =
      doc && carried && carried.file === file && text.trim() !== '' && indentOf(text) > carried.indent
        ? carried
        : undefined;
    if (!marks.length) {
      if (continued) pieces.push({ role: continued.role, text });
      else if (doc) pieces.push({ role: 'any', text });
      carried = continued;
    } else {
      if (doc && marks[0].at > 0) pieces.push({ role: 'any', text: text.slice(0, marks[0].at) });
      marks.forEach((m, i) => pieces.push({ role: m.role, text: text.slice(m.at, marks[i + 1]?.at ?? text.length) }));
      const last = marks[marks.length - 1];
      const name = last.role === 'prediction' ? prediction! : target!;
      carried = doc ? { role: last.role, indent: indentOf(text), name, ...(file ? { file } : {}) } : undefined;
    }
    const quoted = text.trim().replace(/\s+/g, ' ');
    const place = `the ${doc ? 'docstring' : 'comment'}${continued ? ` on ${continued.name}` : ''}`;
    const why = `${place}: "${quoted.length > 70 ? `${quoted.slice(0, 67)}...` : quoted}"`;
    for (const piece of pieces) {
      if (piece.role !== 'target') {
        const logits = LOGIT_WORDS.test(piece.text);
        const probabilities = (piece.role === 'any' ? GENERAL_PROBABILITY_WORDS : PROBABILITY_WORDS).test(piece.text);
        if (logits !== probabilities) set('prediction', { value: logits ? 'logits' : 'probabilities', ...at, why });
      }
      // Label words only where the labels are named: "one-hot encoded inside" may be what the loss does.
      if (piece.role === 'target') {
        const onehot = ONE_HOT_WORDS.test(piece.text);
        const sparse = SPARSE_WORDS.test(piece.text);
        if (onehot !== sparse) set('labels', { value: onehot ? 'onehot' : 'sparse', ...at, why });
      }
      const shapes = writtenShapes(piece.text);
      // "[N, C, D, H, W] or [N, C, H, W]": either dimensionality.
      const oneDimensionality = new Set(shapes.map((shape) => shape.spatialDims === 3)).size === 1;
      for (const shape of shapes) {
        const named = shape.classAt !== undefined && shape.classCount === undefined;
        if (piece.role === 'target' && (shape.classAt === undefined || shape.classCount === 1)) {
          set('sparseChannel', { value: shape.classAt !== undefined, ...at, why });
          if (shape.classAt === undefined) set('labels', { value: 'sparse', ...at, why });
        }
        if (shape.classAt === undefined || (piece.role === 'target' && !named)) continue;
        if (piece.role === 'target') set('labels', { value: 'onehot', ...at, why });
        const first = shape.classAt === 1;
        set('layout', { value: first ? 'channels_first' : 'channels_last', ...at, why });
        if (oneDimensionality) set('spatialDims', { value: shape.spatialDims === 3 ? 3 : 2, ...at, why });
        if (piece.role === 'prediction' && shape.classCount !== undefined)
          set('classes', { value: shape.classCount, ...at, why });
      }
    }
  }
  const inputs = loss.params.filter((p) => p !== 'self').slice(0, 2);
  for (let line = def?.range.line ?? 1; def && line <= def.range.endLine; line++) {
    const code = (source[line - 1] ?? '').replace(/#.*$/, '');
    // The inputs flattened to (pixels, N): N is the class count the code is written for.
    const flattened = FLATTEN_CALL.exec(code) ?? FLATTEN_METHOD.exec(code);
    const classes = Number(flattened?.[2]);
    if (flattened && inputs.includes(flattened[1]) && classes >= 2 && classes <= 64)
      set('classes', { value: classes, line, why: `${flattened[0]}: the input flattened to (pixels, ${classes})` });
    if (FIRST_IDIOM.test(code))
      set('layout', { value: 'channels_first', line, why: 'range(2, ndim): the spatial axes of channels-first data' });
    else if (LAST_IDIOM.test(code))
      set('layout', {
        value: 'channels_last',
        line,
        why: 'range(1, ndim - 1): the spatial axes of channels-last data',
      });
  }
  return described;
}
