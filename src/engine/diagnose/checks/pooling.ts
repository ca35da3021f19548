// Info-level observations about what a Dice averages over: the whole batch pooled, all classes
// pooled, background included in the mean on imbalanced data.
import { type Finding, makeFinding } from '../findings';
import type { LossSubject } from '../subject';
import { fromPrediction, fromTarget, overlapReductions, predictionAxes } from './layout';

export function checkPooling(subject: LossSubject): Finding[] {
  const { contract } = subject;
  const axes = predictionAxes(contract);
  const classes = contract.classes ?? 2;
  const trace = subject.evaluate('random').trace;
  const findings: Finding[] = [];
  const reductions = overlapReductions(trace, contract);
  const batchPooled = reductions.find(({ kept }) => !kept.includes(axes.batch) && kept.every((a) => !axes.spatial.includes(a)));
  // Flattened predictions hold no batch axis of their own to keep: pooling is the caller's layout.
  if (batchPooled && !contract.flattened) findings.push(makeFinding('batch-pooled-dice', batchPooled.entry.range, { op: batchPooled.entry.op }));
  // Class-level observations need a known class count (a binary loss looks class-pooled under C=3).
  const classesKnown = contract.sources.classes === 'given' || contract.sources.classes === 'context';
  const classesPooled = classes > 1 && classesKnown ? reductions.find(({ kept }) => !kept.includes(axes.classAxis) && kept.every((a) => !axes.spatial.includes(a))) : undefined;
  if (classesPooled) findings.push(makeFinding('classes-pooled', classesPooled.entry.range, { op: classesPooled.entry.op }));
  // A mean over per-class scores that still has every channel, background (0) included.
  if (classes > 2 && classesKnown) {
    const perClassMean = trace.find((e) => /(^|_)mean$/.test(e.op) && e.inputs[0] && fromPrediction(e.inputs[0]) && fromTarget(e.inputs[0]) &&
      e.inputs[0].shape[e.inputs[0].shape.length - 1] === classes && e.inputs[0].shape.length <= 2 && e.output.shape.length < e.inputs[0].shape.length);
    if (perClassMean) findings.push(makeFinding('background-included', perClassMean.range, { classes }));
  }
  return findings;
}
