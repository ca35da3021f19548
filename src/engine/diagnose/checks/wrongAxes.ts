// shape-mismatch (wrong axes): a Dice sum that reduces the class axis and keeps the spatial axes,
// measuring the overlap per pixel instead of per image and class. Reported under shape-mismatch's
// rule: the sum combines the tensors along axes the layout does not mean.
import { type Finding, makeFinding } from '../../findings/finding';
import { predictionAxes } from '../queries/axes';
import { callSiteOf } from '../queries/callSite';
import { overlapReductions } from '../queries/overlap';
import type { LossSubject } from '../subject';
import { rule } from './shapeMismatch';

export { rule };

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  const { contract } = subject;
  const axes = predictionAxes(contract);
  for (const { entry, kept } of overlapReductions(subject.evaluate('random').trace, contract)) {
    const keepsSpatial = kept.some((a) => axes.spatial.includes(a));
    const dropsClass = !kept.includes(axes.classAxis);
    if (!(keepsSpatial && dropsClass) || (contract.classes ?? 2) < 2) continue;
    const shape = `[${entry.inputs[0].shape.join(', ')}]`;
    return [
      makeFinding(
        rule,
        entry.range,
        {
          op: entry.op,
          targetShape: shape,
          predictionShape: shape,
          detail:
            `: the sum runs over the class axis (${axes.classAxis}) and keeps spatial axes, giving one score per ` +
            'pixel instead of per image and class',
          keptAxes: kept,
        },
        {
          message:
            `\`${entry.op}\` reduces the class axis of a ${contract.layout} ${shape} tensor and keeps the ` +
            'spatial axes: the overlap is measured per pixel, not per image and class',
          fixText:
            `Sum over the spatial axes (${axes.spatial.join(', ')}) and keep the class axis; ` +
            `for ${contract.layout} data that is axis=${JSON.stringify(axes.spatial)}.`,
          related: callSiteOf(entry),
        },
      ),
    ];
  }
  return [];
}
