// absent-class-explosion: inverse-volume class weights (1/count, 1/count²) that blow up when a
// class is missing from the batch. Compares the loss and its gradient with and without the class:
// the weights are the evidence, the loss and its gradient the verdict.
import { heaviestClassWeights, weightRatio } from '../classWeights';
import { guardInfiniteWeights } from '../edits';
import { type Finding, callSiteOf, makeFinding } from '../findings';
import type { LossSubject } from '../subject';

export function checkAbsentClassExplosion(subject: LossSubject): Finding[] {
  const classes = subject.contract.classes ?? 2;
  if (classes < 2) return [];
  const present = subject.evaluate('random');
  const absent = subject.evaluate('random', { absentClasses: [classes - 1] });
  const heaviest = heaviestClassWeights(absent.trace, classes);
  if (!heaviest) return [];
  const ratio = weightRatio(heaviest.values!);
  const gradPresent = present.gradNorm ?? 0;
  const gradAbsent = absent.gradNorm ?? 0;
  // The weights alone do not decide: an absent class's huge weight may multiply only zeros (weighted
  // cross-entropy) or be replaced before use (MONAI's guard). It matters when the loss goes NaN/Inf,
  // its gradient explodes, or the absent class's weight drowns the others and the gradient vanishes.
  const gradientRatio = gradPresent > 0 ? gradAbsent / gradPresent : 1;
  const exploded = !Number.isFinite(absent.value) || !Number.isFinite(gradAbsent) || (ratio > 1e3 && (gradientRatio > 100 || gradientRatio < 1e-2));
  if (!exploded) return [];
  // An Inf weight has a safe edit (weight 0 for the absent class); a huge finite one (clamped at ε) needs a rewrite.
  const infinite = heaviest.values!.some((v) => !Number.isFinite(v));
  const classAxis = heaviest.output.shape.lastIndexOf(classes) - heaviest.output.shape.length;
  const edit = infinite ? guardInfiniteWeights(subject.program.module, heaviest.range, subject.contract.framework, classAxis) : undefined;
  return [makeFinding('absent-class-explosion', heaviest.range, {
    weightRatio: Number.isFinite(ratio) ? ratio : 'Inf',
    weights: heaviest.values!.map((v) => Number(v.toPrecision(3))),
    lossAbsent: absent.value,
    lossPresent: present.value,
    gradNormAbsent: absent.gradNorm,
    gradNormPresent: present.gradNorm,
    absentClass: classes - 1,
  }, { related: callSiteOf(heaviest), edit })];
}
