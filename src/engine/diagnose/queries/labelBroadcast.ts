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

/** The first op where a sparse class map is broadcast over the prediction's class channels. */
export function labelBroadcast(trace: readonly TraceEntry[], contract: Contract): LabelBroadcast | undefined {
  if (contract.labels !== 'sparse' || (contract.classes ?? 2) < 2) return undefined;
  const axes = predictionAxes(contract);
  for (const entry of trace) {
    if (!isElementwise(entry.kind, 'add', 'sub', 'mul', 'div') || !entry.broadcast || entry.inputs.length !== 2)
      continue;
    const [a, b] = entry.inputs;
    const label = onlyTarget(a) ? a : onlyTarget(b) ? b : undefined;
    const prediction = onlyPrediction(a) ? a : onlyPrediction(b) ? b : undefined;
    if (!label || !prediction) continue;
    if (prediction.shape.length !== axes.rank || prediction.shape[axes.classAxis] !== contract.classes) continue;
    // The class map has a single channel (or none) where the prediction has one per class.
    if (label.shape.length === prediction.shape.length && label.shape[axes.classAxis] !== 1) continue;
    return { entry, label, prediction };
  }
  return undefined;
}
