// double-activation: the model already outputs probabilities (or the contract says so) and the
// loss squashes them again with sigmoid/softmax, so a perfect prediction cannot reach the minimum.
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { fillTemplate } from '../../findings/template';
import { isActivation, takesLogits } from '../../python/opKinds';
import { unwrapCall } from '../edits';
import { predictionActivation } from '../queries/activation';
import { callSiteOf } from '../queries/callSite';
import { onlyPrediction } from '../queries/origin';
import type { TraceEntry } from '../../python/trace';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'double-activation',
  severity: 'error',
  title: 'Activation applied to outputs that are already activated',
  message:
    '`{op}` is applied to a prediction that is already {domain}: a perfect prediction still scores {perfectLoss}',
  explanation:
    'The model already ends in a sigmoid/softmax, so the loss receives probabilities. Squashing them again maps ' +
    '0 and 1 to about 0.27 and 0.73 (sigmoid) or flattens the class distribution (softmax): the minimum of the ' +
    'loss is unreachable and gradients shrink. Built-in losses that take logits (binary_cross_entropy_with_logits, ' +
    'BCEWithLogitsLoss, F.cross_entropy, *_cross_entropy_with_logits, from_logits=True) apply that activation ' +
    'themselves.',
  fix: 'Remove the activation from the loss, or remove it from the model and treat the model output as logits.',
  example: {
    bug: `from keras import backend as K

def dice_loss(y_true, y_pred, smooth=1.0):
    y_pred = K.sigmoid(y_pred)  # the model already ends in a sigmoid
    inter = K.sum(y_true * y_pred)
    return 1 - (2 * inter + smooth) / (K.sum(y_true) + K.sum(y_pred) + smooth)
`,
    fixed: `from keras import backend as K

def dice_loss(y_true, y_pred, smooth=1.0):
    inter = K.sum(y_true * y_pred)
    return 1 - (2 * inter + smooth) / (K.sum(y_true) + K.sum(y_pred) + smooth)
`,
  },
});

/** Ops that move or pick values without changing them: an activation's output stays one through them. */
const PASS_THROUGH = new Set(['reshape', 'transpose', 'indexing', 'copy', 'cast', 'detach']);

/** The activation that made an op's input, through ops that only move values. */
function activationBehind(trace: readonly TraceEntry[], entry: TraceEntry, input: number): TraceEntry | undefined {
  let producer = entry.inputProducers[input] ?? -1;
  for (let hops = 0; producer >= 0 && hops < 16; hops++) {
    const made = trace[producer];
    if (isActivation(made.kind, 'sigmoid', 'softmax')) return made;
    if (!PASS_THROUGH.has(made.kind.category)) return undefined;
    producer = made.inputProducers[0] ?? -1;
  }
  return undefined;
}

/**
 * The loss activates the prediction twice itself, whatever the model outputs: a sigmoid/softmax
 * fed to another one, or to a built-in that applies its own (BCEWithLogitsLoss(sigmoid(x)),
 * F.cross_entropy(F.softmax(x))). A log_softmax inside is not: log_softmax of log-probabilities is
 * the identity.
 */
function activatedTwice(subject: LossSubject): Finding<typeof rule.id>[] {
  const { trace } = subject.evaluate('random');
  for (const entry of trace) {
    const outer =
      isActivation(entry.kind, 'sigmoid', 'softmax', 'log_softmax', 'logsigmoid') || takesLogits(entry.kind);
    if (!outer) continue;
    const input = entry.roles ? entry.roles.indexOf('prediction') : 0;
    if (input < 0 || !entry.inputs[input] || !onlyPrediction(entry.inputs[input])) continue;
    const inner = activationBehind(trace, entry, input);
    if (!inner || !inner.inputs.some(onlyPrediction)) continue;
    const applied = entry.kind.category === 'loss' ? entry.kind.activation : entry.op;
    const what = entry.kind.category === 'loss' ? `applies a ${applied} itself` : 'activates again';
    const message =
      `\`${entry.op}\` ${what} to the output of \`${inner.op}\` (line ${inner.range.line}): ` +
      'the loss activates the prediction twice, so a perfect prediction cannot reach the minimum';
    // Reported where the loss itself makes the call that leads there (self.criterion(probs, y)).
    const { range } = subject.loss;
    const inLoss = (f: TraceEntry['range']) => f.file === undefined && f.line >= range.line && f.line <= range.endLine;
    // A forward inherited from another class: the first call it makes (callStack[0] is the engine's call).
    const own = inLoss(entry.range)
      ? entry.range
      : (entry.callStack.find(inLoss) ?? entry.callStack.slice(1).find((f) => f.file === undefined) ?? entry.range);
    // The calls between the loss's own line and the op (a base's self.criterion(probs, y)): the path.
    const path = own === entry.range ? [] : entry.callStack.slice(entry.callStack.indexOf(own) + 1);
    const through = path
      .filter((frame) => frame.line !== entry.range.line || frame.file !== entry.range.file)
      .map((frame) => ({ line: frame.line, ...(frame.file ? { file: frame.file } : {}), message: 'on the way' }));
    return [
      makeFinding(
        rule,
        own,
        { op: entry.op, domain: 'probabilities', inner: inner.op },
        {
          message,
          fixText:
            entry.kind.category === 'loss'
              ? `Pass the logits to \`${entry.op}\` (drop the \`${inner.op}\`), or use its probability form.`
              : `Keep one activation: drop \`${inner.op}\` or \`${entry.op}\`.`,
          related: [
            { line: inner.range.line, message: `the first activation: \`${inner.op}\`` },
            ...through,
            ...(own === entry.range ? [] : [{ line: entry.range.line, message: `\`${entry.op}\` runs here` }]),
          ],
        },
      ),
    ];
  }
  return [];
}

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  const twice = activatedTwice(subject);
  if (twice.length) return twice;
  const { contract } = subject;
  if (contract.prediction !== 'probabilities') return [];
  // An activation of the prediction, or a built-in loss that applies one itself (*_with_logits,
  // BCEWithLogitsLoss, F.cross_entropy, from_logits=True).
  const activation = predictionActivation(
    subject.evaluate('random').trace,
    (kind) => isActivation(kind, 'sigmoid', 'softmax', 'log_softmax', 'logsigmoid') || takesLogits(kind),
  );
  if (!activation) return [];
  const builtIn = activation.kind.category === 'loss' ? activation.kind.activation : undefined;
  const perfect = subject.evaluate('perfect').value;
  const random = subject.evaluate('random').value;
  // What the loss reaches when it is fed the logits it was written for.
  const reachable = subject.evaluate('perfect', {}, { ...contract, prediction: 'logits' }).value;
  if (![perfect, random, reachable].every(Number.isFinite)) return [];
  const gap = Math.abs(perfect - reachable);
  if (gap < 0.05 * Math.max(Math.abs(random - reachable), 1e-6)) return [];
  const because = contract.because.prediction;
  const evidence = {
    op: activation.op,
    domain: 'probabilities',
    perfectLoss: perfect,
    reachableMinimum: reachable,
    randomLoss: random,
  };
  // Certain when the model, a call site or the user says the outputs are probabilities; a guess
  // (the framework's convention, or the domain trial preferred) otherwise, and the message says so.
  const source = contract.sources.prediction;
  const certain = source === 'given' || source === 'context';
  const guess =
    source === 'trial'
      ? 'an assumption: the loss was tried on both and probabilities fit it better'
      : "an assumption: this framework's models end in an activation by convention, and no model in the project says";
  const what = builtIn
    ? `\`${activation.op}\` applies a ${builtIn} itself to a prediction that is already probabilities: ` +
      `a perfect prediction still scores ${perfect.toPrecision(4)}`
    : fillTemplate(rule.message, evidence);
  return [
    makeFinding(rule, activation.range, builtIn ? { ...evidence, builtInActivation: builtIn } : evidence, {
      severity: certain ? 'error' : 'warning',
      message: certain ? what : `${what} (${guess})`,
      fixText: builtIn
        ? `Use the loss's probability form (binary_cross_entropy / BCELoss / from_logits=False / ` +
          'categorical_crossentropy, nll_loss on the log of the probabilities), or give it the logits.'
        : undefined,
      edit: builtIn ? undefined : unwrapCall(subject.program.module, subject.program.source, activation.range),
      related: [
        ...(because
          ? [{ line: because.line, message: `the model already ends in an activation: ${because.why}` }]
          : []),
        ...(callSiteOf(activation) ?? []),
      ],
    }),
  ];
}
