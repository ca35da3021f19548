// torch's argument helpers shared by the table files: the flavour, tensors from Python values,
// variadic shape arguments (x.view(2, 3) and x.view((2, 3))) and torch.Size.
import type { CallSite } from '../../callsite';
import { asTensor } from '../../ops/coercion';
import { isTensor, toShape, truthy } from '../../protocols';
import { PyList, PyTuple, type PyValue } from '../../values';
import type { Bound } from '../common';

export const FLAVOUR = 'torch';
export const T = (site: CallSite, v: PyValue) => asTensor(site, v, FLAVOUR);

export function shapeArgs(a: Bound, key = 'shape'): number[] {
  const items = (a[key] as PyTuple).items;
  return items.length === 1 && (items[0] instanceof PyList || items[0] instanceof PyTuple || isTensor(items[0]))
    ? toShape(items[0])
    : toShape(new PyTuple(items));
}

export function torchSize(shape: number[]): PyTuple {
  return new PyTuple(
    shape.map((d) => BigInt(d)),
    'torch.Size',
  );
}

/** torch's _Reduction.legacy_get_string: the reduction the deprecated size_average/reduce flags mean. */
export function legacyReductionName(sizeAverage: PyValue, reduce: PyValue, reduction: PyValue): PyValue {
  if (sizeAverage === null && reduce === null) return reduction;
  const [average, reduced] = [sizeAverage === null || truthy(sizeAverage), reduce === null || truthy(reduce)];
  return average && reduced ? 'mean' : reduced ? 'sum' : 'none';
}
