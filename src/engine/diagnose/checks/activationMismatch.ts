// activation-mismatch: softmax over an axis that is not the class axis of the layout; sigmoid on
// mutually exclusive classes (sparse labels: one class per pixel).
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { isActivation, normalisedAxis } from '../../python/opKinds';
import { setAxisArgument } from '../edits';
import { predictionActivation } from '../queries/activation';
import { callSiteOf } from '../queries/callSite';
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

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  const { contract } = subject;
  const classes = contract.classes ?? 2;
  const trace = subject.evaluate('random').trace;
  const findings: Finding<typeof rule.id>[] = [];
  for (const entry of trace) {
    const axis = normalisedAxis(entry.kind);
    if (!isActivation(entry.kind, 'softmax', 'log_softmax') || axis === undefined) continue;
    const input = entry.inputs[0];
    if (!input || !fromPrediction(input) || classes < 2) continue;
    // Only on tensors still in the prediction's layout (same rank), where the class axis is known.
    const rank = contract.spatialDims === 3 ? 5 : 4;
    if (input.shape.length !== rank) continue;
    const classAxis = contract.layout === 'channels_first' ? 1 : rank - 1;
    if (input.shape[classAxis] !== classes || axis === classAxis) continue;
    findings.push(
      makeFinding(
        rule,
        entry.range,
        {
          detail:
            `\`${entry.op}\` normalises over axis ${axis} (size ${input.shape[axis]}), not over the class axis ` +
            `${classAxis} of the ${contract.layout} prediction [${input.shape.join(', ')}]`,
          axis,
          classAxis: contract.layout === 'channels_first' ? 1 : -1,
          shape: input.shape,
        },
        {
          related: callSiteOf(entry),
          edit: setAxisArgument(subject.program.module, entry.range, contract.layout === 'channels_first' ? 1 : -1),
        },
      ),
    );
    break;
  }
  const activation = predictionActivation(trace);
  if (activation && isActivation(activation.kind, 'sigmoid') && classes > 2 && contract.labels === 'sparse') {
    findings.push(
      makeFinding(
        rule,
        activation.range,
        {
          detail:
            `sigmoid on ${classes} mutually exclusive classes (the labels hold one class per pixel): ` +
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
