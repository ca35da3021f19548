// Per-class weights a loss computes from the labels (generalized Dice's 1/count² or 1/count,
// inverse-frequency cross-entropy weights...), found in a value-inspected trace. Shared by the
// absent-class-explosion check and the report's class-weight plot, so both show the same tensor.
import { type OpKind, isElementwise, isUnary } from '../../python/opKinds';
import { ORIGIN_PREDICTION, ORIGIN_TARGET } from '../../python/tensor';
import type { TraceEntry } from '../../python/trace';

/** Inverse volumes: 1/count, count ** -2, reciprocal(count), divide_no_nan(1, count). */
const weightsByDivision = (kind: OpKind) => isElementwise(kind, 'div', 'pow') || isUnary(kind, 'reciprocal');

/**
 * Small label-only tensors with a class axis computed by division or powers: the class-weight
 * candidates. The class axis has the class count, or fewer entries when the loss picks some classes
 * (boundary-loss's idc=[0, 1]) and weighs those.
 */
export function labelWeights(trace: readonly TraceEntry[], classes: number): TraceEntry[] {
  const classAxis = (shape: number[]) => shape.includes(classes) || (shape.at(-1)! >= 2 && shape.at(-1)! < classes);
  const labelOnly = (e: TraceEntry) =>
    (e.output.origin & ORIGIN_TARGET) !== 0 &&
    (e.output.origin & ORIGIN_PREDICTION) === 0 &&
    e.values !== undefined &&
    e.output.shape.length > 0 &&
    classAxis(e.output.shape);
  const explicit = trace.filter((e) => weightsByDivision(e.kind) && labelOnly(e));
  // Per-class sums of the prediction divided by label volumes (nnU-Net's `tp / volumes`): the
  // weights are the volumes' inverses, reported where the volumes are computed.
  const divisors = new Map<number, TraceEntry>();
  for (const e of trace) {
    const volumes = trace[e.inputProducers[1] ?? -1];
    if (!isElementwise(e.kind, 'div') || !volumes || divisors.has(volumes.index) || !labelOnly(volumes)) continue;
    // A zero volume (an unguarded count) makes 0/0 there: nan-on-empty's finding, not a weight's.
    if ((e.inputs[0].origin & ORIGIN_PREDICTION) === 0 || volumes.values!.includes(0)) continue;
    const inverses = volumes.values!.map((v) => 1 / v);
    // Only as spread as exploding weights: dividing by a count of comparable sizes is a mean, not a weighting.
    if (weightRatio(inverses) > 1e3) divisors.set(volumes.index, { ...volumes, values: inverses });
  }
  return [...explicit, ...divisors.values()];
}

/** Largest over smallest nonzero |weight|: Infinity when a weight is NaN/Inf, 1 with fewer than two. */
export function weightRatio(values: number[]): number {
  const finite = values.filter(Number.isFinite).map(Math.abs);
  if (finite.length !== values.length) return Infinity;
  const positive = finite.filter((v) => v > 0);
  if (positive.length < 2) return 1;
  return Math.max(...positive) / Math.min(...positive);
}

/** The class weights of a trace: the candidate with the widest spread (the one that explodes first). */
export function heaviestClassWeights(trace: readonly TraceEntry[], classes: number): TraceEntry | undefined {
  const weights = labelWeights(trace, classes);
  if (!weights.length) return undefined;
  return weights.reduce((a, b) => (weightRatio(b.values!) > weightRatio(a.values!) ? b : a));
}

/**
 * The weights as the loss uses them: the last tensor of the same shape computed from `entry` and the
 * labels only (MONAI sets Inf weights to 0, then adds the largest weight back); `entry` itself when
 * nothing refines it before it meets the prediction.
 */
export function weightsAsUsed(trace: readonly TraceEntry[], entry: TraceEntry): TraceEntry {
  const descendants = new Set([entry.index]);
  let used = entry;
  for (const e of trace) {
    if (e.index <= entry.index || !e.inputProducers.some((p) => descendants.has(p))) continue;
    descendants.add(e.index);
    const labelOnly = (e.output.origin & ORIGIN_PREDICTION) === 0;
    if (labelOnly && e.values !== undefined && e.output.shape.join(',') === entry.output.shape.join(',')) used = e;
  }
  return used;
}

/**
 * The same op in another evaluation of the loss: same op, source range and call stack, and the same
 * occurrence among such ops (a helper called twice runs the op twice).
 */
export function sameOp(
  trace: readonly TraceEntry[],
  entry: TraceEntry,
  from: readonly TraceEntry[],
): TraceEntry | undefined {
  const key = (e: TraceEntry) => `${e.op}@${JSON.stringify(e.range)}<${JSON.stringify(e.callStack)}`;
  const wanted = key(entry);
  const occurrence = from.filter((e) => e.index < entry.index && key(e) === wanted).length;
  return trace.filter((e) => key(e) === wanted)[occurrence];
}

/**
 * One weight per class: the mean over every other axis (weights per (batch, class) are averaged over
 * the batch). The class axis is the last one of the class count's size. Null: NaN/Inf, or no values.
 */
export function weightsPerClass(entry: TraceEntry, classes: number): (number | null)[] {
  const { shape } = entry.output;
  const values = entry.values ?? [];
  const axis = shape.lastIndexOf(classes);
  const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const sums = new Array<number>(classes).fill(0);
  const counts = new Array<number>(classes).fill(0);
  values.forEach((v, i) => {
    const c = Math.floor(i / stride) % classes;
    sums[c] += v;
    counts[c]++;
  });
  return sums.map((s, c) => (counts[c] && Number.isFinite(s) ? s / counts[c] : null));
}
