// non-differentiable: the prediction reaches the loss only through ops without a gradient (error),
// or one additive term of the loss does (warning: that term trains nothing, the rest still does).
// A detached factor of a term whose other factor carries the gradient (class weights, a focal
// modulator, a normaliser) is intended and not reported.
import { type CodeEdit, type EvidenceValue, type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import type { Evaluation } from '../../program';
import { NUMPY_ON_GRAD_ERROR } from '../../python/ops/numpyConversion';
import { isComparison, isDetach, isRefusedNumpyConversion, isRounding } from '../../python/opKinds';
import type { TraceEntry } from '../../python/trace';
import { unwrapCall } from '../edits';
import { callSiteOf } from '../queries/callSite';
import { deadTerm, gradientCuts, valueAncestors } from '../queries/gradient';
import { numpyConversionAfter } from '../queries/numpyConversion';
import { fromPrediction, fromTarget, onlyPrediction } from '../queries/origin';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'non-differentiable',
  severity: 'error',
  title: 'The gradient does not reach the prediction',
  message: '`{op}` cuts the gradient: d(loss)/d(prediction) is {gradient}',
  explanation:
    'argmax, round, thresholds (`>`), integer/boolean casts, `.detach()`, `.numpy()` and `.item()` have no ' +
    'useful gradient. When the prediction passes through one on its way to the loss, the optimiser receives ' +
    'zeros (or nothing) and the network never learns from this term.',
  fix:
    'Use the soft probabilities in the loss (softmax/sigmoid outputs); keep argmax/round/thresholds for metrics ' +
    'computed outside the loss.',
  example: {
    bug: `import torch

def dice_loss(pred, target, smooth=1.0):
    hard = (pred > 0.5).float()  # a threshold has no gradient
    inter = (hard * target).sum()
    return 1 - (2 * inter + smooth) / (hard.sum() + target.sum() + smooth)
`,
    fixed: `import torch

def dice_loss(pred, target, smooth=1.0):
    inter = (pred * target).sum()
    return 1 - (2 * inter + smooth) / (pred.sum() + target.sum() + smooth)
`,
  },
});

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  if (subject.loss.role === 'metric') return []; // metrics are not differentiated: argmax and thresholds belong there
  const evaluation = subject.evaluate('random');
  if (!Number.isFinite(evaluation.value)) return [];
  const cuts = gradientCuts(evaluation.trace);
  const gradientLost = evaluation.gradNorm === null || evaluation.gradNorm === 0;
  if (gradientLost) {
    const culprit = cuts[0];
    if (measuresHardPredictions(subject, evaluation, culprit)) return [];
    // A zero gradient with no op that cuts it: the value is flat here (multiplied by zeros, clipped
    // everywhere), which no gradient-less op explains.
    if (!culprit && evaluation.gradNorm === 0) return [];
    // No op cuts it: a hand-written backward that returns None for the prediction's input does.
    const backward = culprit ? undefined : evaluation.handGradients.find((h) => h.noGradient && h.backward);
    const gradient =
      evaluation.gradNorm !== null
        ? 'zero everywhere'
        : backward
          ? 'absent (the backward returns no gradient for the input the prediction reaches)'
          : 'absent (no gradient path)';
    const evidence = {
      op: culprit?.op ?? (backward ? `${backward.name}.backward` : 'the return value'),
      gradient,
      gradNorm: evaluation.gradNorm,
      value: evaluation.value,
    };
    const range = culprit?.range ?? backward?.backward ?? subject.loss.range;
    const numpy = culprit && computedInNumpy(evaluation, culprit, gradient);
    if (numpy)
      return [makeFinding(rule, range, { ...evidence, ...numpy.evidence }, { ...numpy, related: callSiteOf(culprit) })];
    return [makeFinding(rule, range, evidence, { related: callSiteOf(culprit), edit: removableCut(subject, culprit) })];
  }
  // The loss trains, but a term of it goes through a cut: that term contributes nothing.
  const term = deadTerm(evaluation.trace, evaluation.resultProducer);
  if (term === undefined) return [];
  const ancestors = valueAncestors(evaluation.trace, term);
  const dead = cuts.find((c) => ancestors.has(c.index));
  if (!dead) return [];
  const { gradNorm, value } = evaluation;
  return [
    makeFinding(
      rule,
      dead.range,
      { op: dead.op, gradient: 'absent for this term', gradNorm, value },
      {
        severity: 'warning',
        message:
          `\`${dead.op}\` cuts the gradient of this term: it adds to the loss value but trains nothing ` +
          `(the rest of the loss still has a gradient, norm ${evaluation.gradNorm!.toPrecision(3)})`,
        related: callSiteOf(dead),
        // A gradient stop whose value goes on to numpy cannot simply go: `.numpy()` would then raise.
        edit: numpyConversionAfter(evaluation.trace, dead) ? undefined : removableCut(subject, dead),
      },
    ),
  ];
}

/**
 * A function no framework could train with, written to measure: it returns a Python number (a
 * `.backward()` on it fails at once, so it is not a silent bug), or it compares the raw prediction
 * for exact equality with a class value (`pred == 1`: it takes predicted label maps). An evaluation
 * helper that happens to be named a loss, not a loss that lost its gradient.
 */
function measuresHardPredictions(subject: LossSubject, evaluation: Evaluation, culprit?: TraceEntry): boolean {
  if (evaluation.returnedNumber && subject.contract.framework !== 'numpy') return true;
  if (!culprit || !isComparison(culprit.kind, 'equal')) return false;
  const [input, other] = culprit.inputs;
  const raw = input !== undefined && onlyPrediction(input) && input.shape.length === evaluation.gradientShape.length;
  const constant = other === undefined || (!fromPrediction(other) && !fromTarget(other) && other.shape.length === 0);
  return raw && constant;
}

const NUMPY_FIX =
  'Compute the loss with torch ops on the prediction (convolutions, pooling, distance-weighted errors all exist ' +
  'in torch); numpy values that need no gradient (distance maps of the labels) enter as tensors: ' +
  '`torch.from_numpy(a)`.';

/**
 * The loss is computed in numpy from the prediction: PyTorch refuses `.numpy()` on it (training
 * crashes there, and `.detach()` would leave no gradient), or a `.detach()` hands it to numpy
 * (no gradient). Undefined for other cuts.
 */
function computedInNumpy(
  evaluation: Evaluation,
  culprit: TraceEntry,
  gradient: string,
): { evidence: Record<string, EvidenceValue>; message: string; fixText: string } | undefined {
  if (isRefusedNumpyConversion(culprit.kind)) {
    return {
      evidence: { raises: NUMPY_ON_GRAD_ERROR },
      message:
        `\`${culprit.op}\` raises while training: PyTorch refuses .numpy() on the prediction, which requires grad; ` +
        `adding .detach() would not fix the loss: it is computed in numpy, so d(loss)/d(prediction) is ${gradient}`,
      fixText: NUMPY_FIX,
    };
  }
  const conversion = isDetach(culprit.kind) ? numpyConversionAfter(evaluation.trace, culprit) : undefined;
  if (!conversion) return undefined;
  return {
    evidence: { numpyAt: conversion.range.line },
    message:
      `\`${culprit.op}\` cuts the gradient and the prediction goes on to numpy (\`${conversion.op}\`): ` +
      `the loss is computed outside torch, so d(loss)/d(prediction) is ${gradient}`,
    fixText: NUMPY_FIX,
  };
}

/** Gradient stops and rounding can simply be removed (argmax cannot: it changes the shape). */
function removableCut(subject: LossSubject, entry: TraceEntry | undefined): CodeEdit | undefined {
  if (!entry || !(isDetach(entry.kind) || isRounding(entry.kind, 'round'))) return undefined;
  return unwrapCall(subject.program.module, subject.program.source, entry.range);
}
