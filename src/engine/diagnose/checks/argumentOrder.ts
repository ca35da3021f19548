// argument-order: the signature's names contradict the order the framework (or the file's own
// training loop) calls the loss with; or a built-in loss receives the labels where the prediction
// belongs (K.categorical_crossentropy(y_pred, y_true)).
import { ORIGIN_PREDICTION, ORIGIN_TARGET } from '../../python/tensor';
import type { TraceEntry } from '../../python/trace';
import type { ArgOrder } from '../../contract';
import { type Finding, callSiteOf, makeFinding } from '../findings';
import { swapFirstParameters } from '../edits';
import type { Param } from '../../python/ast';
import type { LossSubject } from '../subject';

const PREDICTION = /^(y_?pred|pred|preds|prediction|predictions|predicted|output|outputs|logits|probs|probas|probabilities|input|inputs|y_?hat|net_output|scores?)$/i;
const TARGET = /^(y_?true|true|target|targets|gt|ground_?truth|labels?|masks?|truth|y|seg|segmentation)$/i;

/** The order a signature's parameter names suggest, if they say anything. */
export function orderFromNames(params: readonly string[]): ArgOrder | undefined {
  const [first, second] = params;
  if (first === undefined || second === undefined) return undefined;
  if (TARGET.test(first) && PREDICTION.test(second)) return 'true_pred';
  if (PREDICTION.test(first) && TARGET.test(second)) return 'pred_true';
  return undefined;
}

/** The parameters of the callable being diagnosed (the method of a class). */
function signatureOf(subject: LossSubject): Param[] {
  const definition = subject.program.module.body.find((s) => s.range.line === subject.loss.range.line);
  if (definition?.kind === 'def') return definition.def.params;
  if (definition?.kind === 'class') {
    const method = definition.body.find((s) => s.kind === 'def' && ['forward', 'call', '__call__'].includes(s.def.name));
    if (method?.kind === 'def') return method.def.params;
  }
  return [];
}

const describe = (order: ArgOrder) => (order === 'true_pred' ? '(y_true, y_pred)' : '(prediction, target)');

function signatureFinding(subject: LossSubject): Finding[] {
  const { contract, loss } = subject;
  const suggested = orderFromNames(loss.params);
  if (!suggested || suggested === contract.argOrder) return [];
  // Only where the caller's order is known: Keras/TF call losses themselves; PyTorch criteria are
  // called as (input, target); otherwise the file's own call sites must show it.
  const certain = contract.sources.argOrder === 'context' || contract.sources.argOrder === 'given' || contract.framework === 'keras' || contract.framework === 'tf' || (contract.framework === 'torch' && loss.kind === 'class');
  // PyTorch code calls its loss functions itself, almost always as loss(outputs, targets).
  const likely = contract.framework === 'torch';
  if (!certain && !likely) return [];
  const framework = contract.sources.argOrder === 'context' ? 'this file' : { keras: 'Keras', tf: 'TensorFlow', torch: 'PyTorch code', numpy: 'the caller', theano: 'the caller' }[contract.framework];
  const called = subject.evaluate('perfect');
  const swapped = subject.evaluate('perfect', {}, { ...contract, argOrder: suggested });
  return [makeFinding('argument-order', loss.range, {
    params: loss.params.slice(0, 2).join(', '),
    suggested: describe(suggested),
    framework,
    expected: describe(contract.argOrder),
    lossPerfectAsCalled: called.value,
    lossPerfectAsNamed: swapped.value,
  }, {
    severity: certain ? 'error' : 'warning',
    edit: swapFirstParameters(subject.program.source, signatureOf(subject)),
    related: contract.because.argOrder ? [{ line: contract.because.argOrder.line, message: `called here: ${contract.because.argOrder.why}` }] : undefined,
  })];
}

/** A built-in loss op whose inputs carry the wrong origins for their roles. */
function swappedBuiltin(entry: TraceEntry): boolean {
  if (!entry.roles) return false;
  const onlyPrediction = (origin: number) => (origin & ORIGIN_PREDICTION) !== 0 && (origin & ORIGIN_TARGET) === 0;
  const onlyTarget = (origin: number) => (origin & ORIGIN_TARGET) !== 0 && (origin & ORIGIN_PREDICTION) === 0;
  const predictionIndex = entry.roles.indexOf('prediction');
  const targetIndex = entry.roles.indexOf('target');
  if (predictionIndex < 0 || targetIndex < 0 || !entry.inputs[predictionIndex] || !entry.inputs[targetIndex]) return false;
  return onlyTarget(entry.inputs[predictionIndex].origin) && onlyPrediction(entry.inputs[targetIndex].origin);
}

function builtinFindings(subject: LossSubject): Finding[] {
  const seen = new Set<number>();
  return subject.evaluate('random').trace.filter(swappedBuiltin).filter((e) => !seen.has(e.range.line) && seen.add(e.range.line)).map((entry) =>
    makeFinding('argument-order', entry.range, { op: entry.op }, {
      message: `\`${entry.op}\` receives the labels as its prediction and the prediction as its labels`,
      fixText: `Pass the arguments in the order ${entry.op} expects (check its signature: ${entry.roles!.filter((r) => r !== 'weight' && r !== 'other').join(', ')}).`,
      related: callSiteOf(entry),
    }));
}

export function checkArgumentOrder(subject: LossSubject): Finding[] {
  return [...signatureFinding(subject), ...builtinFindings(subject)];
}
