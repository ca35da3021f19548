// shape-mismatch (axis order): a reshape that keeps the element order where the code means to move
// axes (one-hot labels (N, H, W, C) viewed as (N, C, H, W): the shapes agree, the contents are
// scrambled), and a broadcast that pairs the batch axis of one operand with another axis of the
// other ((N, 1, H, W) * (N, H, W) gives (N, N, H, W)). Reported under shape-mismatch's rule.
import type { Contract } from '../../contract';
import { type Finding, makeFinding } from '../../findings/finding';
import {
  type CrossBatch,
  type Dim,
  type Reinterpretation,
  axisProvenance,
  brokenAxes,
  dimName,
} from '../queries/axisProvenance';
import { callSiteOf } from '../queries/callSite';
import type { LossSubject } from '../subject';
import { rule } from './shapeMismatch';

export { rule };

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;
const dimsText = (dims: Dim[], spatialDims: number) => `(${dims.map((d) => dimName(d, spatialDims)).join(', ')})`;
const sameRange = (a: { range: { line: number; column: number } }, b: { range: { line: number; column: number } }) =>
  a.range.line === b.range.line && a.range.column === b.range.column;

function provenance(subject: LossSubject, contract: Contract) {
  return axisProvenance(subject.evaluate('random', {}, contract).trace, contract);
}

/**
 * Where each broken axis went (`the class axis (C) lands in axis 3, packed with part of W`), and
 * what the axis of the class axis's size holds instead (`axis 1 (size 3) holds part of H`).
 */
function fate(found: Reinterpretation, spatialDims: number): string {
  const { entry, input, output } = found;
  const shape = entry.output.shape;
  const sizeOf = (axis: 'class' | 'batch') => input.flatMap((d) => d ?? []).find((a) => a.axis === axis)!.size;
  const broken = brokenAxes(input, output);
  // A scrambled class axis is the point; the batch merged with its pieces only repeats it.
  return (broken.includes('class') ? ['class' as const] : broken)
    .map((axis) => {
      const name = axis === 'class' ? 'the class axis (C)' : 'the batch axis (N)';
      const holders = output.flatMap((d, i) => (d?.some((a) => a.axis === axis) ? [i] : []));
      const where =
        holders.length === 1
          ? `lands in axis ${holders[0]}, packed with ${dimName(
              output[holders[0]]!.filter((a) => a.axis !== axis),
              spatialDims,
            )}`
          : `is spread over axes ${holders.join(', ')}`;
      const size = sizeOf(axis);
      const meant = shape.findIndex((d, i) => d === size && !holders.includes(i));
      const instead =
        meant >= 0 ? `, and axis ${meant} (size ${size}) holds ${dimName(output[meant], spatialDims)} instead` : '';
      return `${name} ${where}${instead}`;
    })
    .join('; ');
}

function reinterpretationFinding(subject: LossSubject, found: Reinterpretation, note: string): Finding<typeof rule.id> {
  const spatialDims = subject.contract.spatialDims ?? 2;
  const { entry, input, output } = found;
  const from = shapeText(entry.inputs[0].shape);
  const to = shapeText(entry.output.shape);
  const message =
    `\`${entry.op}\` reinterprets a ${from} ${dimsText(input, spatialDims)} tensor as ${to} ` +
    `${dimsText(output, spatialDims)}: a reshape keeps the element order, so ${fate(found, spatialDims)}; ` +
    `the shapes agree but the contents are scrambled${note}`;
  return makeFinding(
    rule,
    entry.range,
    {
      op: entry.op,
      targetShape: from,
      predictionShape: to,
      detail: '',
      axesBefore: input.map((d) => dimName(d, spatialDims)),
      axesAfter: output.map((d) => dimName(d, spatialDims)),
    },
    {
      message,
      fixText:
        'Move the axes with a transpose (permute / tf.transpose / np.transpose / K.permute_dimensions) ' +
        'before any reshape: a reshape never moves the class axis.',
      related: callSiteOf(entry),
    },
  );
}

function crossBatchFinding(found: CrossBatch, note: string): Finding<typeof rule.id> {
  const { entry, axes } = found;
  const [a, b] = axes;
  const shapes = entry.inputs.map((i) => shapeText(i.shape));
  const message =
    `\`${entry.op}\` combines ${shapes[a.operand]} with ${shapes[b.operand]}: broadcasting aligns the batch axis ` +
    `of one with axis ${a.axis === 0 ? b.axis : a.axis} of the other, so the result ${shapeText(entry.output.shape)} ` +
    `pairs every image with every other image${note}`;
  return makeFinding(
    rule,
    entry.range,
    {
      op: entry.op,
      targetShape: shapes[a.operand],
      predictionShape: shapes[b.operand],
      detail: '',
      resultShape: entry.output.shape,
    },
    {
      message,
      fixText:
        'Give both operands the same rank before combining them: drop the size-1 channel axis (squeeze) or add ' +
        'it to the other operand (unsqueeze / expand_dims / [:, None]).',
      related: callSiteOf(entry),
    },
  );
}

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  const { contract } = subject;
  const found = provenance(subject, contract);
  const findings: Finding<typeof rule.id>[] = [];
  const reinterpreted = found.reinterpretations[0];
  if (reinterpreted) findings.push(reinterpretationFinding(subject, reinterpreted, ''));
  const paired = found.crossBatch[0];
  if (paired && !(reinterpreted && sameRange(reinterpreted.entry, paired.entry)))
    findings.push(crossBatchFinding(paired, ''));
  return findings;
}
