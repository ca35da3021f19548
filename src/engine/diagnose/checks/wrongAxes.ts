// shape-mismatch (wrong axes): a Dice sum that reduces the class axis and keeps the spatial axes,
// measuring the overlap per pixel instead of per image and class. Reported under shape-mismatch's
// rule: the sum combines the tensors along axes the layout does not mean.
import type { Contract } from '../../contract';
import { type Finding, makeFinding } from '../../findings/finding';
import { predictionAxes } from '../queries/axes';
import { callSiteOf } from '../queries/callSite';
import { overlapReductions } from '../queries/overlap';
import type { LossSubject } from '../subject';
import { rule } from './shapeMismatch';

export { rule };

/** The first Dice sum that drops the class axis and keeps spatial ones, under a contract. */
function perPixelSum(subject: LossSubject, contract: Contract) {
  const axes = predictionAxes(contract);
  for (const { entry, kept } of overlapReductions(subject.evaluate('random', {}, contract).trace, contract)) {
    const keepsSpatial = kept.some((a) => axes.spatial.includes(a));
    const dropsClass = !kept.includes(axes.classAxis);
    if (keepsSpatial && dropsClass && (contract.classes ?? 2) >= 2) return { entry, kept, axes };
  }
  return undefined;
}

/** Whether the sum is also per pixel when the data are in the other layout (then the layout does not matter). */
function perPixelEitherWay(subject: LossSubject): boolean {
  const { contract } = subject;
  const other: Contract = {
    ...contract,
    layout: contract.layout === 'channels_last' ? 'channels_first' : 'channels_last',
  };
  try {
    return perPixelSum(subject, other) !== undefined;
  } catch {
    return false;
  }
}

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  const { contract } = subject;
  const found = perPixelSum(subject, contract);
  if (found) {
    const { entry, kept, axes } = found;
    const shape = `[${entry.inputs[0].shape.join(', ')}]`;
    // Which axes are spatial depends on the layout: certain when a model, a flag or a setting gives
    // it, or when the sum is per pixel in either layout; a guess (the framework's default) otherwise.
    const layoutKnown =
      contract.sources.layout === 'given' || contract.sources.layout === 'context' || perPixelEitherWay(subject);
    const assumed = layoutKnown
      ? ''
      : ` (assuming the ${contract.framework} convention, ${contract.layout}: no model or setting in the project says)`;
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
          severity: layoutKnown ? 'error' : 'warning',
          message:
            `\`${entry.op}\` reduces the class axis of a ${contract.layout} ${shape} tensor and keeps the ` +
            `spatial axes: the overlap is measured per pixel, not per image and class${assumed}`,
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
