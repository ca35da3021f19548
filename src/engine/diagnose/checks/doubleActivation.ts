// double-activation: the model already outputs probabilities (or the contract says so) and the
// loss squashes them again with sigmoid/softmax, so a perfect prediction cannot reach the minimum.
import { unwrapCall } from '../edits';
import { ORIGIN_PREDICTION, ORIGIN_TARGET } from '../../python/tensor';
import type { TraceEntry } from '../../python/trace';
import { type Finding, callSiteOf, makeFinding } from '../findings';
import type { LossSubject } from '../subject';

const ACTIVATIONS = new Set(['sigmoid', 'softmax', 'log_softmax', 'logsoftmax', 'logsigmoid']);

/** The first activation applied to the prediction itself (not to something mixed with the labels). */
export function predictionActivation(trace: readonly TraceEntry[]): TraceEntry | undefined {
  return trace.find((e) => ACTIVATIONS.has(e.op) && e.inputs.some((i) => (i.origin & ORIGIN_PREDICTION) !== 0 && (i.origin & ORIGIN_TARGET) === 0));
}

export function checkDoubleActivation(subject: LossSubject): Finding[] {
  const { contract } = subject;
  if (contract.prediction !== 'probabilities') return [];
  const activation = predictionActivation(subject.evaluate('random').trace);
  if (!activation) return [];
  const perfect = subject.evaluate('perfect').value;
  const random = subject.evaluate('random').value;
  // What the loss reaches when it is fed the logits it was written for.
  const reachable = subject.evaluate('perfect', {}, { ...contract, prediction: 'logits' }).value;
  if (![perfect, random, reachable].every(Number.isFinite)) return [];
  const gap = Math.abs(perfect - reachable);
  if (gap < 0.05 * Math.max(Math.abs(random - reachable), 1e-6)) return [];
  const because = contract.because.prediction;
  return [makeFinding('double-activation', activation.range, {
    op: activation.op,
    domain: 'probabilities',
    perfectLoss: perfect,
    reachableMinimum: reachable,
    randomLoss: random,
  }, {
    // Certain when the model or the user says the outputs are probabilities; likely by convention.
    severity: contract.sources.prediction === 'convention' ? 'warning' : 'error',
    edit: unwrapCall(subject.program.module, subject.program.source, activation.range),
    related: [...(because ? [{ line: because.line, message: `the model already ends in an activation: ${because.why}` }] : []), ...(callSiteOf(activation) ?? [])],
  })];
}
