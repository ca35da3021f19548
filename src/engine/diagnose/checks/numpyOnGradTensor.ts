// numpy-on-grad-tensor: the loss calls `.numpy()` (or a numpy/scipy/cv2 function) on a tensor that
// requires grad, which PyTorch refuses: training crashes at the first step. The diagnosis read it as
// `.detach().numpy()`, the fix PyTorch's error suggests; this check reports the crash when that fix
// leaves the loss trainable (its gradient reaches the prediction through the torch part). When it
// does not, non-differentiable reports the line instead: detaching would not be a fix there.
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import type { InterpreterError } from '../../python/errors';
import { NUMPY_ON_GRAD_ERROR, isNumpyOnGradMessage } from '../../python/ops/numpyConversion';
import { isRefusedNumpyConversion } from '../../python/opKinds';
import { detachBeforeNumpy } from '../edits';
import { callSiteOf } from '../queries/callSite';
import { gradientCuts } from '../queries/gradient';
import { refusedNumpyConversions } from '../queries/numpyConversion';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'numpy-on-grad-tensor',
  severity: 'error',
  title: 'The loss calls .numpy() on a tensor that requires grad',
  message:
    '`{op}` raises while training: PyTorch refuses .numpy() on a tensor computed from the prediction, which ' +
    'requires grad ({raises})',
  explanation:
    "A model's output requires grad, and so does every tensor computed from it. PyTorch refuses to hand such a " +
    'tensor to numpy (`.numpy()`, a scipy function given the tensor, an operator with a numpy array), so the ' +
    'first training step crashes there. Loss Lens analysed the loss as it runs with `.detach()` added: the ' +
    'numpy values (distance maps, weights) then carry no gradient, and the gradient still reaches the ' +
    'prediction through the torch part of the loss, so that fix is enough.',
  fix:
    'Detach before converting: `x.detach().cpu().numpy()` (also for a tensor handed to scipy); a numpy array ' +
    'that meets the tensor in an operator becomes a tensor first (`torch.from_numpy(a)`).',
  example: {
    bug: `import torch
from scipy.ndimage import distance_transform_edt

def boundary_weighted_loss(pred, target):
    far = distance_transform_edt(pred.numpy() < 0.5)
    weight = torch.from_numpy(far).float() + 1.0
    return (weight * (pred - target) ** 2).mean()
`,
    fixed: `import torch
from scipy.ndimage import distance_transform_edt

def boundary_weighted_loss(pred, target):
    far = distance_transform_edt(pred.detach().numpy() < 0.5)
    weight = torch.from_numpy(far).float() + 1.0
    return (weight * (pred - target) ** 2).mean()
`,
  },
});

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  if (subject.loss.role === 'metric') return []; // metrics run under torch.no_grad(): nothing requires grad there
  const evaluation = subject.evaluate('random');
  const conversions = refusedNumpyConversions(evaluation.trace);
  if (!conversions.length) return [];
  const gradientLost = evaluation.gradNorm === null || evaluation.gradNorm === 0;
  const firstCut = gradientCuts(evaluation.trace)[0];
  // Detached, the loss has no gradient and the conversion is what cuts it: non-differentiable's finding.
  if (gradientLost && firstCut && isRefusedNumpyConversion(firstCut.kind)) return [];
  return conversions.map((conversion) =>
    makeFinding(
      rule,
      conversion.range,
      { op: conversion.op, raises: NUMPY_ON_GRAD_ERROR, gradNorm: evaluation.gradNorm },
      { related: callSiteOf(conversion), edit: detachBeforeNumpy(subject.program.module, conversion.range) },
    ),
  );
}

/** The loss could not run because PyTorch refused `.numpy()` on a tensor that requires grad. */
export const refusedByPyTorch = (error: InterpreterError | undefined): boolean =>
  error?.kind === 'python' && isNumpyOnGradMessage(error.message);
