// numpy's argument rules, shared by every np.* function: array-likes as ndarrays, axis, shape
// and dtype arguments checked as numpy checks them, reshape with numpy's errors, and numpy's
// broadcast error text.
import type { CallSite } from '../../callsite';
import { InterpreterError, axisError, unsupported, valueError } from '../../errors';
import { asTensor, type BroadcastError } from '../../ops/coercion';
import { reshape } from '../../ops/shape';
import { isTensor, toAxes, toShape } from '../../protocols';
import { type LogicalDtype, TensorValue, isFloatDtype } from '../../tensor';
import { PyList, PyTuple, type PyValue } from '../../values';
import { type Bound, intArg, parseDtype } from '../common';

export const FLAVOUR = 'numpy';

/** Any array-like as a numpy-flavoured tensor (tensors of other frameworks are viewed as ndarrays). */
export function N(site: CallSite, value: PyValue, dtype?: LogicalDtype): TensorValue {
  if (isTensor(value) && value.flavour !== FLAVOUR) {
    value = new TensorValue(value.tensor, value.dtype, FLAVOUR, value.origin, value.requiresGrad, value.producer);
  }
  return asTensor(site, value, FLAVOUR, dtype);
}

export function axisOutOfBounds(axis: number, rank: number): InterpreterError {
  return axisError(`axis ${axis} is out of bounds for array of dimension ${rank}`);
}

export function npAxis(value: PyValue, rank: number): number {
  const axis = intArg(value, 'axis');
  if (axis < -rank || axis >= rank) throw axisOutOfBounds(axis, rank);
  return axis < 0 ? axis + rank : axis;
}

/** numpy's axis argument: None, an int, or a tuple of ints, checked against the rank. */
export function npAxes(value: PyValue, rank: number): number[] | undefined {
  const axes = toAxes(value);
  if (axes === undefined) return undefined;
  const out = axes.map((a) => {
    if (a < -rank || a >= rank) throw axisOutOfBounds(a, rank);
    return a < 0 ? a + rank : a;
  });
  if (new Set(out).size !== out.length) throw valueError("duplicate value in 'axis'");
  return out;
}

/** Arguments that would write into or mask an existing array: not interpreted. */
export function noOut(a: Bound, name: string): void {
  if (a.out !== undefined && a.out !== null) throw unsupported(`numpy.${name}(out=...)`);
  if (a.where !== undefined && a.where !== true) throw unsupported(`numpy.${name}(where=...)`);
  if (a.initial !== undefined && a.initial !== null) throw unsupported(`numpy.${name}(initial=...)`);
}

export function dtypeArg(value: PyValue): LogicalDtype | undefined {
  return parseDtype(value, FLAVOUR);
}

/** numpy's shape arguments: an int, or a sequence of ints (never negative). */
export function shapeArg(value: PyValue): number[] {
  const shape = toShape(value);
  if (shape.some((d) => d < 0)) throw valueError('negative dimensions are not allowed');
  return shape;
}

/** `a.reshape(2, 3)` and `a.reshape((2, 3))`. */
export function varShape(value: PyValue): number[] {
  const items = (value as PyTuple).items;
  return items.length === 1 && (items[0] instanceof PyList || items[0] instanceof PyTuple || isTensor(items[0]))
    ? toShape(items[0])
    : toShape(new PyTuple(items));
}

/** numpy's NPY_MAXDIMS: also keeps padding helpers from building huge shape arrays. */
export const MAX_DIMS = 32;

export const shapeText = (shape: readonly number[]) => `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;

export function npReshape(site: CallSite, x: TensorValue, shape: number[], opName = 'reshape'): TensorValue {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw valueError('can only specify one unknown dimension');
  if (shape.some((d) => d < -1)) throw valueError('negative dimensions not allowed');
  const known = shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const fits = unknown ? (known === 0 ? x.size === 0 : x.size % known === 0) : known === x.size;
  if (!fits) throw valueError(`cannot reshape array of size ${x.size} into shape ${shapeText(shape)}`);
  return reshape(site, x, shape, opName);
}

/** A Python scalar of the array's kind (item(), tolist()). */
export function pyScalar(dtype: LogicalDtype, value: number): PyValue {
  if (isFloatDtype(dtype)) return value;
  if (dtype === 'bool') return value !== 0;
  return BigInt(value);
}

export function isNumberLike(v: PyValue): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}

/** numpy's error for shapes that do not broadcast: operands could not be broadcast together with shapes (2, 3) (4,) */
export const broadcastError: BroadcastError = (a, b) =>
  valueError(`operands could not be broadcast together with shapes ${shapeText(a)} ${shapeText(b)}`);
