// Sparse class maps combined with the prediction's class channels by broadcasting: each channel
// is then compared with class indices instead of its own mask. The contract search uses it to
// reject a label format; shape-mismatch reports it when the labels' format is known.
import type { Contract } from '../../contract';
import { isElementwise } from '../../python/opKinds';
import type { TensorInfo, TraceEntry } from '../../python/trace';
import { predictionAxes } from './axes';
import { onlyPrediction, onlyTarget } from './origin';

export interface LabelBroadcast {
  entry: TraceEntry;
  label: TensorInfo;
  prediction: TensorInfo;
}

/** Ops whose result is a mask (or a one-hot map) of the labels, no longer their class indices. */
const MASKING = new Set(['comparison', 'logical', 'predicate', 'one_hot']);

/**
 * Whether a label-derived tensor still holds class indices: the chain of label-only ops that made
 * it has no comparison (`target != ignore_index` is a validity mask, meant to broadcast).
 */
function holdsClassIndices(trace: readonly TraceEntry[], producer: number, tensor: TensorInfo): boolean {
  if (tensor.dtype === 'bool') return false;
  const seen = new Set<number>();
  const stack = producer >= 0 ? [producer] : [];
  while (stack.length) {
    const index = stack.pop()!;
    if (seen.has(index) || !trace[index]) continue;
    seen.add(index);
    const entry = trace[index];
    if (MASKING.has(entry.kind.category) || entry.output.dtype === 'bool') return false;
    entry.inputProducers.forEach((p, i) => {
      if (p >= 0 && entry.inputs[i] && onlyTarget(entry.inputs[i])) stack.push(p);
    });
  }
  return true;
}

/**
 * Both flattened by the loss itself to (pixels, classes) (`reshape(x_perm, (-1, C))`, PyMIC's
 * reshape_tensor_to_2D): the class map is then (pixels, 1) against the prediction's (pixels, classes).
 */
function flattenedInside(label: TensorInfo, prediction: TensorInfo, contract: Contract): boolean {
  const [pixels, classes] = prediction.shape;
  return (
    !contract.flattened &&
    prediction.shape.length === 2 &&
    classes === contract.classes &&
    label.shape.length === 2 &&
    label.shape[0] === pixels &&
    label.shape[1] === 1
  );
}

/** The first op where a sparse class map is broadcast over the prediction's class channels. */
export function labelBroadcast(trace: readonly TraceEntry[], contract: Contract): LabelBroadcast | undefined {
  if (contract.labels !== 'sparse' || (contract.classes ?? 2) < 2) return undefined;
  const axes = predictionAxes(contract);
  for (const entry of trace) {
    if (!isElementwise(entry.kind, 'add', 'sub', 'mul', 'div') || !entry.broadcast || entry.inputs.length !== 2)
      continue;
    const [a, b] = entry.inputs;
    const labelIndex = onlyTarget(a) ? 0 : onlyTarget(b) ? 1 : -1;
    const label = labelIndex >= 0 ? entry.inputs[labelIndex] : undefined;
    const prediction = onlyPrediction(a) ? a : onlyPrediction(b) ? b : undefined;
    if (!label || !prediction) continue;
    if (!flattenedInside(label, prediction, contract)) {
      if (prediction.shape.length !== axes.rank || prediction.shape[axes.classAxis] !== contract.classes) continue;
      // The class map has a single channel (or none) where the prediction has one per class.
      if (label.shape.length === prediction.shape.length && label.shape[axes.classAxis] !== 1) continue;
    }
    if (!holdsClassIndices(trace, entry.inputProducers[labelIndex], label)) continue;
    return { entry, label, prediction };
  }
  return undefined;
}
