// activation-mismatch: softmax over an axis that is not the class axis of the layout; sigmoid on
// mutually exclusive classes (sparse labels: one class per pixel).
import { ORIGIN_PREDICTION } from '../../python/tensor';
import { type Finding, callSiteOf, makeFinding } from '../findings';
import { setAxisArgument } from '../edits';
import type { LossSubject } from '../subject';
import { predictionActivation } from './doubleActivation';

export function checkActivationMismatch(subject: LossSubject): Finding[] {
  const { contract } = subject;
  const classes = contract.classes ?? 2;
  const trace = subject.evaluate('random').trace;
  const findings: Finding[] = [];
  for (const entry of trace) {
    if ((entry.op !== 'softmax' && entry.op !== 'log_softmax' && entry.op !== 'logsoftmax') || typeof entry.attributes?.axis !== 'number') continue;
    const input = entry.inputs[0];
    if (!input || (input.origin & ORIGIN_PREDICTION) === 0 || classes < 2) continue;
    // Only on tensors still in the prediction's layout (same rank), where the class axis is known.
    const rank = contract.spatialDims === 3 ? 5 : 4;
    if (input.shape.length !== rank) continue;
    const classAxis = contract.layout === 'channels_first' ? 1 : rank - 1;
    if (input.shape[classAxis] !== classes || entry.attributes.axis === classAxis) continue;
    findings.push(makeFinding('activation-mismatch', entry.range, {
      detail: `\`${entry.op}\` normalises over axis ${entry.attributes.axis} (size ${input.shape[entry.attributes.axis]}), not over the class axis ${classAxis} of the ${contract.layout} prediction [${input.shape.join(', ')}]`,
      axis: entry.attributes.axis,
      classAxis: contract.layout === 'channels_first' ? 1 : -1,
      shape: input.shape,
    }, { related: callSiteOf(entry), edit: setAxisArgument(subject.program.module, entry.range, contract.layout === 'channels_first' ? 1 : -1) }));
    break;
  }
  const activation = predictionActivation(trace);
  if (activation?.op === 'sigmoid' && classes > 2 && contract.labels === 'sparse') {
    findings.push(makeFinding('activation-mismatch', activation.range, {
      detail: `sigmoid on ${classes} mutually exclusive classes (the labels hold one class per pixel): each channel is squashed on its own and the probabilities do not sum to 1`,
      classAxis: contract.layout === 'channels_first' ? 1 : -1,
      classes,
    }, { related: callSiteOf(activation) }));
  }
  return findings;
}
