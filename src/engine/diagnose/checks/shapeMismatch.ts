// shape-mismatch: labels and predictions combined with silently broadcast shapes (sparse class
// maps against C channels), shapes that cannot be combined at all (one-hot appended last against
// channels-first), and Dice sums over the wrong axes for the layout.
import { type Finding, callSiteOf, makeFinding } from '../findings';
import type { LossSubject } from '../subject';
import type { Contract } from '../../contract';
import type { TensorInfo, TraceEntry } from '../../python/trace';
import { onlyPrediction, onlyTarget, overlapReductions, predictionAxes } from './layout';

const ELEMENTWISE = new Set(['mul', 'add', 'sub', 'div', 'multiply', 'subtract', 'divide', 'truediv', 'true_divide']);

/** The first op where a sparse class map is broadcast over the prediction's class channels. */
export function labelBroadcast(trace: readonly TraceEntry[], contract: Contract): { entry: TraceEntry; label: TensorInfo; prediction: TensorInfo } | undefined {
  if (contract.labels !== 'sparse' || (contract.classes ?? 2) < 2) return undefined;
  const axes = predictionAxes(contract);
  for (const entry of trace) {
    if (!ELEMENTWISE.has(entry.op) || !entry.broadcast || entry.inputs.length !== 2) continue;
    const [a, b] = entry.inputs;
    const label = onlyTarget(a) ? a : onlyTarget(b) ? b : undefined;
    const prediction = onlyPrediction(a) ? a : onlyPrediction(b) ? b : undefined;
    if (!label || !prediction || prediction.shape.length !== axes.rank || prediction.shape[axes.classAxis] !== contract.classes) continue;
    // The class map has a single channel (or none) where the prediction has one per class.
    if (label.shape.length === prediction.shape.length && label.shape[axes.classAxis] !== 1) continue;
    return { entry, label, prediction };
  }
  return undefined;
}

function silentBroadcasts(subject: LossSubject): Finding[] {
  const { contract } = subject;
  const classes = contract.classes ?? 2;
  const found = labelBroadcast(subject.evaluate('random').trace, contract);
  if (found) {
    const { entry, label, prediction } = found;
    return [makeFinding('shape-mismatch', entry.range, {
      op: entry.op,
      targetShape: `[${label.shape.join(', ')}]`,
      predictionShape: `[${prediction.shape.join(', ')}]`,
      detail: `: the integer class map is broadcast over all ${classes} class channels, so every channel is compared with class indices, not with its own mask`,
    }, {
      fixText: 'One-hot encode the class map first (K.one_hot / tf.one_hot / F.one_hot, then move the class axis to where the prediction has it) before combining it with the prediction.',
      related: callSiteOf(entry),
    })];
  }
  return [];
}

function wrongAxes(subject: LossSubject): Finding[] {
  const { contract } = subject;
  const axes = predictionAxes(contract);
  for (const { entry, kept } of overlapReductions(subject.evaluate('random').trace, contract)) {
    const keepsSpatial = kept.some((a) => axes.spatial.includes(a));
    const dropsClass = !kept.includes(axes.classAxis);
    if (!(keepsSpatial && dropsClass) || (contract.classes ?? 2) < 2) continue;
    return [makeFinding('shape-mismatch', entry.range, {
      op: entry.op,
      targetShape: `[${entry.inputs[0].shape.join(', ')}]`,
      predictionShape: `[${entry.inputs[0].shape.join(', ')}]`,
      detail: `: the sum runs over the class axis (${axes.classAxis}) and keeps spatial axes, giving one score per pixel instead of per image and class`,
      keptAxes: kept,
    }, {
      message: `\`${entry.op}\` reduces the class axis of a ${contract.layout} [${entry.inputs[0].shape.join(', ')}] tensor and keeps the spatial axes: the overlap is measured per pixel, not per image and class`,
      fixText: `Sum over the spatial axes (${axes.spatial.join(', ')}) and keep the class axis; for ${contract.layout} data that is axis=${JSON.stringify(axes.spatial)}.`,
      related: callSiteOf(entry),
    })];
  }
  return [];
}

export function checkShapeMismatch(subject: LossSubject): Finding[] {
  return [...silentBroadcasts(subject), ...wrongAxes(subject)];
}

/**
 * A loss that cannot run because two tensors are the same axes in a different order (one-hot
 * labels with the class axis last against a channels-first prediction): a shape-mismatch finding.
 * Other shape errors stay "could not be evaluated": the contract may just not be the right one.
 */
export function shapeMismatchFromError(message: string, line: number | undefined): Finding | undefined {
  const shapes = /\(([\d, ]+)\)\D+\(([\d, ]+)\)/.exec(message) ?? /\[([\d, ]+)\]\D+\[([\d, ]+)\]/.exec(message);
  if (!shapes || !/broadcast|incompatible|must match|size of tensor/i.test(message) || line === undefined) return undefined;
  const [a, b] = [shapes[1], shapes[2]].map((s) => s.split(',').map((d) => Number(d.trim())));
  const permuted = a.length === b.length && a.join() !== b.join() && [...a].sort().join() === [...b].sort().join();
  if (!permuted) return undefined;
  return makeFinding('shape-mismatch', { line, endLine: line, column: 1, endColumn: 1 }, {
    op: 'this operation',
    targetShape: shapes ? `[${shapes[1].trim()}]` : 'label',
    predictionShape: shapes ? `[${shapes[2].trim()}]` : 'prediction',
    detail: ` and fails: ${message}`,
  }, { message: `labels and prediction cannot be combined here under any contract tried: ${message}` });
}
