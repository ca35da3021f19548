// absent-class-explosion: inverse-volume class weights (1/count, 1/count²) that blow up when a
// class is missing from the batch. Compares the loss and its gradient with and without the class.
import { ORIGIN_PREDICTION, ORIGIN_TARGET } from '../../python/tensor';
import type { TraceEntry } from '../../python/trace';
import { type Finding, callSiteOf, makeFinding } from '../findings';
import type { LossSubject } from '../subject';

const WEIGHT_OPS = new Set(['div', 'pow', 'reciprocal', 'divide_no_nan', 'truediv', 'true_divide', 'divide']);

/** Small label-only tensors computed by division or powers: the class-weight candidates. */
function labelWeights(trace: readonly TraceEntry[], classes: number): TraceEntry[] {
  return trace.filter((e) =>
    WEIGHT_OPS.has(e.op) && (e.output.origin & ORIGIN_TARGET) !== 0 && (e.output.origin & ORIGIN_PREDICTION) === 0 &&
    e.values !== undefined && e.output.shape.includes(classes));
}

function ratio(values: number[]): number {
  const finite = values.filter(Number.isFinite).map(Math.abs);
  if (finite.length !== values.length) return Infinity;
  const positive = finite.filter((v) => v > 0);
  if (positive.length < 2) return 1;
  return Math.max(...positive) / Math.min(...positive);
}

export function checkAbsentClassExplosion(subject: LossSubject): Finding[] {
  const classes = subject.contract.classes ?? 2;
  if (classes < 2) return [];
  const present = subject.evaluate('random');
  const absent = subject.evaluate('random', { absentClasses: [classes - 1] });
  const weights = labelWeights(absent.trace, classes);
  if (!weights.length) return [];
  const heaviest = weights.reduce((a, b) => (ratio(b.values!) > ratio(a.values!) ? b : a));
  const weightRatio = ratio(heaviest.values!);
  const gradPresent = present.gradNorm ?? 0;
  const gradAbsent = absent.gradNorm ?? 0;
  const exploded = !Number.isFinite(absent.value) || !Number.isFinite(gradAbsent) || weightRatio > 1e3 || (gradPresent > 0 && gradAbsent / gradPresent > 100);
  if (!exploded) return [];
  return [makeFinding('absent-class-explosion', heaviest.range, {
    weightRatio: Number.isFinite(weightRatio) ? weightRatio : 'Inf',
    weights: heaviest.values!.map((v) => Number(v.toPrecision(3))),
    lossAbsent: absent.value,
    lossPresent: present.value,
    gradNormAbsent: absent.gradNorm,
    gradNormPresent: present.gradNorm,
    absentClass: classes - 1,
  }, { related: callSiteOf(heaviest) })];
}
