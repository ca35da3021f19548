// The Dice/Jaccard sums of a trace: reductions of an intersection (pred × target) or a union
// (pred + target) that still has the prediction's full shape, with the axes each one kept.
import type { Contract } from '../../contract';
import {
  type OpKind,
  isCast,
  isCopy,
  isElementwise,
  isIndexing,
  isLogarithmic,
  isReduction,
  isReshape,
  isUnary,
} from '../../python/opKinds';
import type { TraceEntry } from '../../python/trace';
import { keptAxes, predictionAxes } from './axes';
import { fromPrediction, fromTarget } from './origin';

/** Ops between the product and the sum that keep it an overlap term (|x|, casts, reshapes, picks, copies). */
const passesThrough = (kind: OpKind) =>
  isUnary(kind, 'abs') ||
  isCast(kind) ||
  isReshape(kind) ||
  isIndexing(kind, 'subscript', 'boolean_mask') ||
  isCopy(kind);
/** A likelihood (log, cross-entropy, focal power) rather than an overlap. */
const likelihoodLike = (kind: OpKind) => isLogarithmic(kind) || isElementwise(kind, 'pow');

/** Whether a tensor is an overlap term: pred × target (intersection) or pred + target (union), not a likelihood. */
function isOverlapTerm(trace: readonly TraceEntry[], producer: number): boolean {
  let entry = trace[producer];
  while (entry && passesThrough(entry.kind)) entry = trace[entry.inputProducers[0]];
  if (!entry || !isElementwise(entry.kind, 'mul', 'add')) return false;
  const seen = new Set<number>();
  const logInAncestry = (index: number, depth: number): boolean => {
    const e = trace[index];
    if (!e || depth > 6 || seen.has(index)) return false;
    seen.add(index);
    return likelihoodLike(e.kind) || e.inputProducers.some((p) => logInAncestry(p, depth + 1));
  };
  return !entry.inputProducers.some((p) => logInAncestry(p, 0));
}

/**
 * Whether a sum goes straight into a log or a power (before any ratio): `(p * onehot).sum(1).log()`
 * picks the true class's probability per pixel for a cross-entropy or focal term; it is no overlap.
 */
function feedsLikelihood(trace: readonly TraceEntry[], index: number): boolean {
  let frontier = [index];
  for (let depth = 0; depth < 3 && frontier.length; depth++) {
    const next: number[] = [];
    for (const e of trace) {
      if (!e.inputProducers.some((p) => frontier.includes(p))) continue;
      if (likelihoodLike(e.kind)) return true;
      if (!isElementwise(e.kind, 'div')) next.push(e.index);
    }
    frontier = next;
  }
  return false;
}

export interface OverlapReduction {
  entry: TraceEntry;
  kept: number[];
}

/** Sum/mean reductions of a full prediction-shaped overlap term (Dice/Jaccard intersections and unions). */
export function overlapReductions(trace: readonly TraceEntry[], contract: Contract): OverlapReduction[] {
  const axes = predictionAxes(contract);
  const classes = contract.classes ?? 2;
  const out: OverlapReduction[] = [];
  for (const entry of trace) {
    if (!isReduction(entry.kind, 'sum', 'mean')) continue;
    const input = entry.inputs[0];
    if (!input || input.shape.length !== axes.rank || input.shape[axes.classAxis] !== classes) continue;
    if (!fromPrediction(input) || !fromTarget(input) || !isOverlapTerm(trace, entry.inputProducers[0])) continue;
    if (feedsLikelihood(trace, entry.index)) continue;
    const kept = keptAxes(entry);
    if (!kept || kept.some(Number.isNaN)) continue;
    out.push({ entry, kept });
  }
  return out;
}

/**
 * The first overlap reduction that sums `axis` away together with every spatial axis: one score
 * pooled over that axis (the batch, or the classes).
 */
export function overlapPooledOver(
  trace: readonly TraceEntry[],
  contract: Contract,
  axis: number,
): OverlapReduction | undefined {
  const { spatial } = predictionAxes(contract);
  const pooled = ({ kept }: OverlapReduction) => !kept.includes(axis) && kept.every((a) => !spatial.includes(a));
  return overlapReductions(trace, contract).find(pooled);
}
