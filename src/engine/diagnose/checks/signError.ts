// sign-error: a loss whose value rises as the prediction improves (random → perfect).
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { complementReturn } from '../edits';
import { activatesLabels } from '../queries/activation';
import { returnRange, returnStatement } from '../queries/returnSite';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'sign-error',
  severity: 'error',
  title: 'The loss rises as the prediction improves',
  message:
    'the loss goes from {lossRandom} (random) to {lossPerfect} (perfect prediction): minimising it makes ' +
    'predictions worse',
  explanation:
    'A loss must be lowest for a perfect prediction. Returning the Dice coefficient itself (instead of 1 - ' +
    'Dice), or a negated loss, makes the optimiser move away from the labels.',
  fix: 'Return 1 - dice (or -log(dice)) instead of the coefficient.',
  example: {
    bug: `from keras import backend as K

def dice_loss(y_true, y_pred, smooth=1.0):
    inter = K.sum(y_true * y_pred)
    return (2 * inter + smooth) / (K.sum(y_true) + K.sum(y_pred) + smooth)  # the coefficient
`,
    fixed: `from keras import backend as K

def dice_loss(y_true, y_pred, smooth=1.0):
    inter = K.sum(y_true * y_pred)
    return 1 - (2 * inter + smooth) / (K.sum(y_true) + K.sum(y_pred) + smooth)
`,
  },
});

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  if (subject.loss.role !== 'loss') return [];
  const randomRun = subject.evaluate('random');
  if (activatesLabels(randomRun.trace)) return [];
  const random = randomRun.value;
  const perfect = subject.evaluate('perfect').value;
  if (!Number.isFinite(random) || !Number.isFinite(perfect)) return [];
  // A clear rise, not float noise or a loss that barely tells the two apart (reported elsewhere).
  const scale = Math.max(Math.abs(random), Math.abs(perfect), 1e-6);
  if (perfect <= random + 0.05 * scale) return [];
  const { module, source } = subject.program;
  const returned = returnStatement(module, subject.loss);
  return [
    makeFinding(
      rule,
      returnRange(module, subject.loss),
      { lossRandom: random, lossPerfect: perfect },
      {
        edit: complementReturn(source, returned?.value),
      },
    ),
  ];
}
