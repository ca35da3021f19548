// wrong-gradient: a hand-written gradient (a torch.autograd.Function's backward, a tf.custom_gradient
// grad_fn, a Caffe Python layer's backward) that is not the gradient of its own forward pass. The
// loss's gradient with respect to the prediction is computed with the backward and by automatic
// differentiation of the forward, on random predictions, an empty mask and an absent class; a
// relative difference above 1e-2 is reported when central finite differences of the loss agree with
// the automatic one. A forward that cuts the gradient itself (a straight-through estimator) is left
// alone; a backward that gives no gradient at all is non-differentiable's.
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import {
  REL_TOLERANCE,
  compareGradients,
  coordinates,
  culprits,
  finiteDifference,
  gradientCases,
} from '../queries/handGradient';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'wrong-gradient',
  severity: 'error',
  title: 'The hand-written gradient is not the gradient of the loss',
  message:
    "the hand-written gradient of `{name}` is not its forward pass's: relative error {relErr} on {inputCase}; " +
    "at element {worstIndex} it gives {handValue} where the forward's derivative is {autoValue} (finite " +
    'differences side with the forward)',
  explanation:
    'A hand-written backward (torch.autograd.Function, tf.custom_gradient, a Caffe Python layer) replaces the ' +
    "framework's differentiation: whatever it returns is what the optimiser follows, right or wrong. Loss Lens " +
    'differentiates the forward pass itself, compares the two gradients element by element on random ' +
    'predictions, an empty mask and an absent class, and checks with central finite differences of the loss ' +
    'which one is right. A flipped sign, a forgotten normaliser (1/N, the union), a smoothing term left out of ' +
    'the derivative, or a gradient computed from rounded or argmax-ed values all show here.',
  fix:
    'Derive the gradient of the forward exactly as written (the chain rule through every normaliser and ' +
    'smoothing term, times the upstream gradient), or drop the hand-written backward and let the framework ' +
    'differentiate the forward. torch.autograd.gradcheck checks a Function in float64.',
  example: {
    bug: `import tensorflow as tf

@tf.custom_gradient
def dice_loss(y_true, y_pred):
    inter, total = tf.reduce_sum(y_true * y_pred), tf.reduce_sum(y_true + y_pred)
    def grad(up):  # the derivative of the Dice coefficient, not of 1 - Dice: the sign is flipped
        return None, up * (2 * y_true * (total + 1) - (2 * inter + 1)) / (total + 1) ** 2
    return 1 - (2 * inter + 1) / (total + 1), grad
`,
    fixed: `import tensorflow as tf

@tf.custom_gradient
def dice_loss(y_true, y_pred):
    inter, total = tf.reduce_sum(y_true * y_pred), tf.reduce_sum(y_true + y_pred)
    def grad(up):
        return None, -up * (2 * y_true * (total + 1) - (2 * inter + 1)) / (total + 1) ** 2
    return 1 - (2 * inter + 1) / (total + 1), grad
`,
  },
});

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  if (!subject.evaluate('random').handGradients.length) return [];
  for (const inputCase of gradientCases(subject)) {
    const comparison = compareGradients(subject, inputCase);
    if (!comparison || comparison.relErr <= REL_TOLERANCE) continue;
    const confirmed = finiteDifference(subject, comparison);
    if (confirmed?.agrees !== 'auto') continue;
    const { hand, auto, worst, shape, relErr } = comparison;
    return culprits(subject, comparison).map((use) =>
      makeFinding(
        rule,
        use.backward ?? use.definition,
        {
          name: use.name,
          relErr,
          worstIndex: coordinates(worst, shape),
          handValue: hand[worst],
          autoValue: auto[worst],
          inputCase: inputCase.name,
          finiteDifferenceSlope: confirmed.slope,
          autoSlope: confirmed.autoSlope,
          handSlope: confirmed.handSlope,
        },
        {
          related: [{ line: use.definition.line, message: `the forward pass of ${use.name}, differentiated instead` }],
        },
      ),
    );
  }
  return [];
}
