// ignored-class: a multi-class loss whose value does not change when the prediction gets one
// foreground class completely wrong. Background exclusion is deliberate and not reported.
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { returnRange } from '../queries/returnSite';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'ignored-class',
  severity: 'warning',
  title: 'A class channel has no influence on the loss',
  message: 'class channel {channel} of {classes} does not influence the loss (gradient {gradient})',
  explanation:
    'The loss never reads some class channel (a hard-coded index, a slice that stops early, a loop over range(C ' +
    '- 1)). That class is never trained; if this is not a deliberate background exclusion, its predictions stay ' +
    'random.',
  fix:
    'Loop over all classes (range(num_classes)) or slice with `[..., 1:]` only when excluding background on ' +
    'purpose.',
  example: {
    bug: `from keras import backend as K

def dice_loss(y_true, y_pred, num_classes=4, smooth=1e-5):
    dice = 0.0
    for c in range(1, num_classes - 1):  # stops one class early: the last class is never trained
        inter = K.sum(y_true[..., c] * y_pred[..., c])
        dice += (2 * inter + smooth) / (K.sum(y_true[..., c]) + K.sum(y_pred[..., c]) + smooth)
    return 1 - dice / (num_classes - 2)
`,
    fixed: `from keras import backend as K

def dice_loss(y_true, y_pred, num_classes=4, smooth=1e-5):
    dice = 0.0
    for c in range(1, num_classes):
        inter = K.sum(y_true[..., c] * y_pred[..., c])
        dice += (2 * inter + smooth) / (K.sum(y_true[..., c]) + K.sum(y_pred[..., c]) + smooth)
    return 1 - dice / (num_classes - 1)
`,
  },
});

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  const { contract } = subject;
  const classes = contract.classes ?? 2;
  // Needs a known class count: a loss written for 2 classes looks like it ignores the third one.
  if (classes < 2 || (contract.sources.classes !== 'given' && contract.sources.classes !== 'context')) return [];
  const perfect = subject.evaluate('perfect').value;
  if (!Number.isFinite(perfect)) return [];
  const random = subject.evaluate('random').value;
  const spread = Math.max(Math.abs(random - perfect), 1e-6);
  const ignored: number[] = [];
  for (let c = 1; c < classes; c++) {
    const wrong = subject.evaluate('perfect-but-one', { wrongClass: c }).value;
    if (Number.isFinite(wrong) && Math.abs(wrong - perfect) <= 1e-6 * spread) ignored.push(c);
  }
  if (!ignored.length) return [];
  const several = ignored.length > 1;
  return [
    makeFinding(
      rule,
      returnRange(subject.program.module, subject.loss),
      {
        channel: ignored.join(', '),
        classes,
        gradient: 'no change when that class is predicted completely wrong',
        lossPerfect: perfect,
      },
      {
        message:
          `class channel${several ? 's' : ''} ${ignored.join(', ')} of ${classes} do${several ? '' : 'es'} not ` +
          `influence the loss: predicting ${several ? 'them' : 'it'} completely wrong leaves the loss at ` +
          perfect.toPrecision(4),
      },
    ),
  ];
}
