// activation-mismatch: softmax over an axis that is not the class axis of the layout; sigmoid on
// mutually exclusive classes (sparse labels: one class per pixel).
import { type CodeEdit, type Finding, makeFinding } from '../../findings/finding';
import type { SourceRange } from '../../python/ast';
import { textOf } from '../../python/walk';
import type { TensorInfo, TraceEntry } from '../../python/trace';
import { defineRule } from '../../findings/rule';
import { isActivation, isLoss, normalisedAxis } from '../../python/opKinds';
import { setAxisArgument } from '../edits';
import { predictionActivation } from '../queries/activation';
import { callSiteOf } from '../queries/callSite';
import { helperDefault } from '../queries/helperDefault';
import { softmaxes } from '../queries/softmax';
import { fromPrediction } from '../queries/origin';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'activation-mismatch',
  severity: 'warning',
  title: 'Activation does not match the label structure',
  message: '{detail}',
  explanation:
    'Mutually exclusive classes (one label per pixel) need a softmax over the class axis; a sigmoid treats each ' +
    'class independently, so several classes can claim the same pixel. A softmax over a spatial or batch axis ' +
    'normalises the wrong thing.',
  fix:
    'Apply softmax over the class axis ({classAxis}) for exclusive classes; keep sigmoid for independent ' +
    '(multi-label) channels.',
  example: {
    bug: `import torch
import torch.nn.functional as F

def soft_dice_loss(logits, target, smooth=1.0):
    probs = F.softmax(logits, dim=0)  # over the batch, not the classes
    onehot = F.one_hot(target, logits.shape[1]).permute(0, 3, 1, 2).float()
    inter = (probs * onehot).sum(dim=(2, 3))
    union = probs.sum(dim=(2, 3)) + onehot.sum(dim=(2, 3))
    return 1 - ((2 * inter + smooth) / (union + smooth)).mean()
`,
    fixed: `import torch
import torch.nn.functional as F

def soft_dice_loss(logits, target, smooth=1.0):
    probs = F.softmax(logits, dim=1)
    onehot = F.one_hot(target, logits.shape[1]).permute(0, 3, 1, 2).float()
    inter = (probs * onehot).sum(dim=(2, 3))
    union = probs.sum(dim=(2, 3)) + onehot.sum(dim=(2, 3))
    return 1 - ((2 * inter + smooth) / (union + smooth)).mean()
`,
  },
});

/**
 * Why the classes are exclusive, if they are: class-index labels hold one class per pixel; one-hot
 * maps do too when the settings or the project's code make them (to_categorical, one_hot in the
 * data pipeline). One-hot maps found by trial may be multi-label masks, for which sigmoid is right.
 */
function exclusiveLabels(subject: LossSubject): string | undefined {
  const { contract } = subject;
  if (contract.labels === 'sparse') return 'the labels hold one class per pixel';
  const source = contract.sources.labels;
  if (source === 'given') return 'one-hot labels, as the settings say: one class per pixel';
  const because = contract.because.labels;
  if (source === 'context' && because)
    return `one-hot labels from ${because.why}, line ${because.line}: one class per pixel`;
  return undefined;
}

/**
 * The line where the code offers softmax in place of a sigmoid: `Sigmoid() if flag else
 * Softmax(dim=1)`, an `if`/`else` choosing one or the other, or `sigmoid=..., softmax=...` options.
 */
export function softmaxOffered(source: string): number | undefined {
  const lines = source.split('\n').map((l) => l.replace(/#.*$/, ''));
  const sigmoid = (l: string) => /sigmoid/i.test(l);
  const softmax = (l: string) => /softmax/i.test(l);
  // Options of a signature written one per line (sigmoid: bool = False, softmax: bool = False).
  const flag = (name: string) => new RegExp(`^\\s*${name}\\s*(?::\\s*bool\\s*)?=\\s*(?:True|False)\\s*[,)]`);
  const option = (name: string) => lines.findIndex((l) => flag(name).test(l));
  if (option('sigmoid') >= 0 && option('softmax') >= 0) return option('sigmoid') + 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (sigmoid(line) && softmax(line) && (/\bif\b.*\belse\b/.test(line) || /\bdef\s/.test(line))) return i + 1;
    if (!sigmoid(line) && !softmax(line)) continue;
    const other = sigmoid(line) ? softmax : sigmoid;
    const window = lines.slice(i + 1, i + 6);
    const branch = window.findIndex((l) => /^\s*(else\s*:|elif\b)/.test(l));
    if (branch >= 0 && window.slice(branch).some(other)) return i + 1;
  }
  return undefined;
}

/** Softmaxes (the frameworks', hand-written ones) and softmax cross-entropies, in trace order. */
function normalisations(
  trace: readonly TraceEntry[],
): { entry: TraceEntry; axis: number; input?: TensorInfo; written: boolean }[] {
  const losses = trace.flatMap((entry) => {
    const axis = normalisedAxis(entry.kind);
    return isLoss(entry.kind) && axis !== undefined ? [{ entry, axis, input: entry.inputs[0], written: false }] : [];
  });
  return [...softmaxes(trace), ...losses].sort((a, b) => a.entry.index - b.entry.index);
}

/** `, name=value` added before a call's closing parenthesis. */
function appendKeyword(call: SourceRange, name: string, value: number): CodeEdit {
  const at = { line: call.endLine, column: call.endColumn - 1 };
  return { ...at, endLine: at.line, endColumn: at.column, newText: `, ${name}=${value}` };
}

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  const { contract } = subject;
  const classes = contract.classes ?? 2;
  const trace = subject.evaluate('random').trace;
  const findings: Finding<typeof rule.id>[] = [];
  const rank = contract.spatialDims === 3 ? 5 : 4;
  const classAxis = contract.layout === 'channels_first' ? 1 : rank - 1;
  for (const { entry, axis, input, written } of normalisations(trace)) {
    if (!input || !fromPrediction(input) || classes < 2) continue;
    // Only on tensors still in the prediction's layout (same rank), where the class axis is known.
    if (input.shape.length !== rank) continue;
    if (input.shape[classAxis] !== classes || axis === classAxis) continue;
    const wanted = contract.layout === 'channels_first' ? 1 : -1;
    const { module } = subject.program;
    const defaulted = helperDefault(module, entry, axis, rank);
    const op = written ? 'a softmax written as exp / sum' : `\`${entry.op}\``;
    const callText = defaulted && textOf(subject.program.source, defaulted.call).replace(/\s+/g, ' ');
    const where = defaulted
      ? `\`${callText}\` relies on the default ${defaulted.param}=${defaulted.value} of ` +
        `${defaulted.helper.name} (line ${defaulted.helper.range.line}), so ${op} normalises`
      : `${written ? 'A softmax written as exp / sum' : `\`${entry.op}\``} normalises`;
    findings.push(
      makeFinding(
        rule,
        defaulted?.call ?? entry.range,
        {
          detail:
            `${where} over axis ${axis} (size ${input.shape[axis]}), not over the class axis ` +
            `${classAxis} of the ${contract.layout} prediction [${input.shape.join(', ')}]`,
          axis,
          classAxis: wanted,
          shape: input.shape,
          ...(defaulted ? { helperDefault: `${defaulted.param}=${defaulted.value}` } : {}),
        },
        {
          related: defaulted
            ? [
                {
                  line: defaulted.helper.range.line,
                  message: `the default: def ${defaulted.helper.name}(..., ${defaulted.param}=${defaulted.value})`,
                },
                { line: entry.range.line, message: `${written ? 'the softmax' : `\`${entry.op}\``} runs here` },
              ]
            : callSiteOf(entry),
          edit: defaulted
            ? appendKeyword(defaulted.call, defaulted.param, wanted)
            : written
              ? undefined
              : setAxisArgument(module, entry.range, wanted),
        },
      ),
    );
    break;
  }
  const activation = predictionActivation(trace);
  const exclusive = exclusiveLabels(subject);
  if (activation && isActivation(activation.kind, 'sigmoid') && classes > 2 && exclusive) {
    // Code that offers softmax as the alternative (a flag, a normalization option) chose sigmoid
    // knowingly: per-channel sigmoids with a Dice train well, a documented design choice.
    const written = activation.at ?? activation.range;
    const offered = softmaxOffered(subject.program.sourceOf(written.file) ?? '');
    if (offered !== undefined) return findings;
    findings.push(
      makeFinding(
        rule,
        activation.range,
        {
          detail:
            `sigmoid on ${classes} mutually exclusive classes (${exclusive}): ` +
            'each channel is squashed on its own and the probabilities do not sum to 1',
          classAxis: contract.layout === 'channels_first' ? 1 : -1,
          classes,
        },
        { related: callSiteOf(activation) },
      ),
    );
  }
  return findings;
}
