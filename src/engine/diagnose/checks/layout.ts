// Where the batch, class and spatial axes are in tensors shaped like the prediction, so checks
// can tell which axes an op broadcast or reduced.
import type { Contract } from '../../contract';
import type { ResolvedContract } from '../contract';
import { ORIGIN_PREDICTION, ORIGIN_TARGET } from '../../python/tensor';
import type { TensorInfo, TraceEntry } from '../../python/trace';

export interface Axes {
  rank: number;
  batch: number;
  classAxis: number;
  spatial: number[];
}

export function predictionAxes(contract: Contract): Axes {
  // (pixels, classes): the pixel axis is the batch and the spatial axes at once.
  if (contract.flattened) return { rank: 2, batch: 0, classAxis: 1, spatial: [0] };
  const rank = (contract.spatialDims === 3 ? 3 : 2) + 2;
  const classAxis = contract.layout === 'channels_first' ? 1 : rank - 1;
  return { rank, batch: 0, classAxis, spatial: [...Array(rank).keys()].filter((a) => a !== 0 && a !== classAxis) };
}

export const fromPrediction = (t: TensorInfo) => (t.origin & ORIGIN_PREDICTION) !== 0;
export const fromTarget = (t: TensorInfo) => (t.origin & ORIGIN_TARGET) !== 0;
export const onlyTarget = (t: TensorInfo) => fromTarget(t) && !fromPrediction(t);
export const onlyPrediction = (t: TensorInfo) => fromPrediction(t) && !fromTarget(t);

/** For a reduction, which input axes survive (by matching sizes in order; keepdims shows as 1s). */
export function keptAxes(entry: TraceEntry): number[] | undefined {
  const input = entry.inputs[0]?.shape;
  const output = entry.output.shape;
  if (!input || output.length > input.length) return undefined;
  if (output.length === input.length) return input.flatMap((d, i) => (output[i] === d ? [i] : output[i] === 1 ? [] : [NaN]));
  const kept: number[] = [];
  let i = 0;
  for (const d of output) {
    while (i < input.length && input[i] !== d) i++;
    if (i === input.length) return undefined;
    kept.push(i++);
  }
  return kept;
}

const REDUCTION = /(^|_|\.)(sum|mean|nansum|nanmean|average)$/;

const PASS_THROUGH = new Set(['abs', 'cast', 'reshape', 'getitem', 'clone', 'float', 'to']);
const LOG_LIKE = /log|entropy|softplus|focal|pow/;

/** Whether a tensor is an overlap term: pred × target (intersection) or pred + target (union), not a log-likelihood. */
function isOverlapTerm(trace: readonly TraceEntry[], producer: number): boolean {
  let entry = trace[producer];
  while (entry && PASS_THROUGH.has(entry.op)) entry = trace[entry.inputProducers[0]];
  if (!entry || !['mul', 'multiply', 'add'].includes(entry.op)) return false;
  const seen = new Set<number>();
  const logInAncestry = (index: number, depth: number): boolean => {
    const e = trace[index];
    if (!e || depth > 6 || seen.has(index)) return false;
    seen.add(index);
    return LOG_LIKE.test(e.op) || e.inputProducers.some((p) => logInAncestry(p, depth + 1));
  };
  return !entry.inputProducers.some((p) => logInAncestry(p, 0));
}

/** Sum/mean reductions of a full prediction-shaped overlap term (Dice/Jaccard intersections and unions). */
export function overlapReductions(trace: readonly TraceEntry[], contract: ResolvedContract): { entry: TraceEntry; kept: number[] }[] {
  const axes = predictionAxes(contract);
  const classes = contract.classes ?? 2;
  const out: { entry: TraceEntry; kept: number[] }[] = [];
  for (const entry of trace) {
    if (!REDUCTION.test(entry.op)) continue;
    const input = entry.inputs[0];
    if (!input || input.shape.length !== axes.rank || input.shape[axes.classAxis] !== classes) continue;
    if (!fromPrediction(input) || !fromTarget(input) || !isOverlapTerm(trace, entry.inputProducers[0])) continue;
    const kept = keptAxes(entry);
    if (!kept || kept.some(Number.isNaN)) continue;
    out.push({ entry, kept });
  }
  return out;
}
