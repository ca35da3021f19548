// argument-order: the signature's names contradict the order the framework (or the file's own
// training loop) calls the loss with; or a built-in loss receives the labels where the prediction
// belongs (K.categorical_crossentropy(y_pred, y_true)).
import type { ArgOrder } from '../../contract';
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { fillTemplate } from '../../findings/template';
import type { Param } from '../../python/ast';
import type { TraceEntry } from '../../python/trace';
import { swapFirstParameters } from '../edits';
import { orderFromNames } from '../queries/argumentNames';
import { callSiteOf } from '../queries/callSite';
import { callMethod, lossDefinition } from '../queries/definition';
import { onlyPrediction, onlyTarget } from '../queries/origin';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'argument-order',
  severity: 'error',
  title: 'Arguments in the wrong order for the framework',
  message: 'the signature ({params}) suggests {suggested}, but {framework} calls losses as {expected}',
  explanation:
    'Keras calls loss(y_true, y_pred); PyTorch criteria are called as loss(input, target). With the order ' +
    'swapped, the loss treats the labels as the prediction: the gradient flows to the wrong tensor and ' +
    'asymmetric terms (clipping, log, class weights) act on the labels.',
  fix: 'Swap the parameters so they match the order the framework uses.',
  example: {
    bug: `from keras import backend as K

def bce_loss(y_pred, y_true):  # Keras calls loss(y_true, y_pred)
    y_pred = K.clip(y_pred, K.epsilon(), 1 - K.epsilon())
    return -K.mean(y_true * K.log(y_pred) + (1 - y_true) * K.log(1 - y_pred))
`,
    fixed: `from keras import backend as K

def bce_loss(y_true, y_pred):
    y_pred = K.clip(y_pred, K.epsilon(), 1 - K.epsilon())
    return -K.mean(y_true * K.log(y_pred) + (1 - y_true) * K.log(1 - y_pred))
`,
  },
});

/** The parameters of the callable being diagnosed (the method of a class). */
function signatureOf(subject: LossSubject): Param[] {
  const definition = lossDefinition(subject.program.module, subject.loss);
  if (definition?.kind === 'def') return definition.def.params;
  if (definition?.kind === 'class') return callMethod(subject.program.module, definition)?.params ?? [];
  return [];
}

const describe = (order: ArgOrder) => (order === 'true_pred' ? '(y_true, y_pred)' : '(prediction, target)');

const CALLERS = { keras: 'Keras', tf: 'TensorFlow', torch: 'PyTorch code', numpy: 'the caller', theano: 'the caller' };

/** The argument order rests on the framework's habit, not on a call site or a setting. */
const ASSUMED =
  " (the framework's convention: no call site in the project shows how this loss is called, so this is a guess)";

/** The loss gives the same value with its arguments swapped (a symmetric overlap): the order cannot matter. */
function symmetric(subject: LossSubject, swappedOrder: ArgOrder): boolean {
  const called = subject.evaluate('random').value;
  const swapped = subject.evaluate('random', {}, { ...subject.contract, argOrder: swappedOrder }).value;
  return Math.abs(called - swapped) <= 1e-6 * Math.max(Math.abs(called), Math.abs(swapped), 1);
}

function signatureFinding(subject: LossSubject): Finding<typeof rule.id>[] {
  const { contract, loss } = subject;
  const suggested = orderFromNames(loss.params);
  if (!suggested || suggested === contract.argOrder) return [];
  // Certain where a call site, compile(loss=...) or the settings show the order; else it rests on
  // the framework's convention (Keras and PyTorch call losses in their own order): a warning.
  const source = contract.sources.argOrder;
  const certain = source === 'context' || source === 'given';
  if (symmetric(subject, suggested)) return [];
  const callSite = contract.because.argOrder;
  const framework = source === 'context' ? (callSite?.file ?? 'this file') : CALLERS[contract.framework];
  const called = subject.evaluate('perfect');
  const swapped = subject.evaluate('perfect', {}, { ...contract, argOrder: suggested });
  const evidence = {
    params: loss.params.slice(0, 2).join(', '),
    suggested: describe(suggested),
    framework,
    expected: describe(contract.argOrder),
    lossPerfectAsCalled: called.value,
    lossPerfectAsNamed: swapped.value,
  };
  return [
    makeFinding(rule, loss.range, evidence, {
      severity: certain ? 'error' : 'warning',
      message: certain ? undefined : fillTemplate(rule.message, evidence) + ASSUMED,
      edit: swapFirstParameters(subject.program.source, signatureOf(subject)),
      related:
        callSite && !callSite.file ? [{ line: callSite.line, message: `called here: ${callSite.why}` }] : undefined,
    }),
  ];
}

/** A built-in loss op whose inputs carry the wrong origins for their roles. */
function swappedBuiltin(entry: TraceEntry): boolean {
  if (!entry.roles) return false;
  const predictionIndex = entry.roles.indexOf('prediction');
  const targetIndex = entry.roles.indexOf('target');
  if (predictionIndex < 0 || targetIndex < 0 || !entry.inputs[predictionIndex] || !entry.inputs[targetIndex])
    return false;
  return onlyTarget(entry.inputs[predictionIndex]) && onlyPrediction(entry.inputs[targetIndex]);
}

/** The loss's inputs come from one dict's keys, guessed from what the code does with them. */
const GUESSED_KEYS = " (this rests on a guess of which of the dict's keys holds the prediction)";

function builtinFindings(subject: LossSubject): Finding<typeof rule.id>[] {
  const { contract, loss } = subject;
  // Sure when the order is known, or when the loss's own parameter names agree with it; for a loss
  // that takes one dict, when its keys were not guessed.
  const source = contract.sources.argOrder;
  const guessedKeys = loss.dictInput?.by === 'usage';
  const certain =
    !guessedKeys && (source === 'given' || source === 'context' || orderFromNames(loss.params) === contract.argOrder);
  const assumed = guessedKeys ? GUESSED_KEYS : ASSUMED;
  const seen = new Set<number>();
  const swapped = subject.evaluate('random').trace.filter(swappedBuiltin);
  return swapped
    .filter((e) => !seen.has(e.range.line) && seen.add(e.range.line))
    .map((entry) => {
      const roles = entry.roles!.filter((r) => r !== 'weight' && r !== 'other').join(', ');
      return makeFinding(
        rule,
        entry.range,
        { op: entry.op },
        {
          severity: certain ? 'error' : 'warning',
          message:
            `\`${entry.op}\` receives the labels as its prediction and the prediction as its labels` +
            (certain ? '' : assumed),
          fixText: `Pass the arguments in the order ${entry.op} expects (check its signature: ${roles}).`,
          related: callSiteOf(entry),
        },
      );
    });
}

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  // A swapped signature hands every op inside the swapped tensors: one finding, on its cause. A loss
  // that takes one dict has no argument order to swap: only its use of built-in losses is checked.
  if (subject.loss.dictInput) return builtinFindings(subject);
  const signature = signatureFinding(subject);
  return signature.length ? signature : builtinFindings(subject);
}
