// Theano's argument rules, shared by the table files: tensor-likes as Theano variables, dtype
// arguments ('floatX'), the zero gradient of discrete ops, integer inputs upcast for float
// functions, Python scalars kept as they are, and Theano's broadcast error.
import type { CallSite } from '../../callsite';
import { valueError } from '../../errors';
import { asTensor, castTensor } from '../../ops/coercion';
import { isTensor } from '../../protocols';
import { type LogicalDtype, TensorValue, isFloatDtype } from '../../tensor';
import type { GradientMode } from '../../trace';
import type { PyValue } from '../../values';
import { parseDtype } from '../common';

export const FLAVOUR = 'theano';
export const FLOATX: LogicalDtype = 'float32';
/** Theano arrays are numpy arrays: at most 32 dimensions. */
export const MAX_DIMS = 32;

/** A Theano variable from any tensor-like (numpy arrays and other tensors are viewed as variables). */
export function TT(site: CallSite, value: PyValue, dtype?: LogicalDtype): TensorValue {
  if (isTensor(value) && value.flavour !== FLAVOUR) {
    value = new TensorValue(value.tensor, value.dtype, FLAVOUR, value.origin, value.requiresGrad, value.producer);
  }
  return asTensor(site, value, FLAVOUR, dtype);
}

const THEANO_DTYPES = new Set(['int8', 'uint8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64', 'bool']);

/** Theano dtype strings ('float32', 'int64', 'floatX') and dtype objects. */
export function dtypeArg(value: PyValue): LogicalDtype | undefined {
  if (value === 'floatX') return FLOATX;
  if (typeof value === 'string' && THEANO_DTYPES.has(value)) return value as LogicalDtype;
  return parseDtype(value, FLAVOUR);
}

/** Theano's grad of a piecewise-constant or discrete op: zeros, the path stays connected. */
export const ZERO: GradientMode = 'zero';

/** Theano upcasts integer inputs of float functions to float64 (int8/int16 to float32). */
export function floatInput(site: CallSite, x: TensorValue): TensorValue {
  if (isFloatDtype(x.dtype)) return x;
  return castTensor(
    site,
    x,
    x.dtype === 'int8' || x.dtype === 'int16' || x.dtype === 'uint8' || x.dtype === 'bool' ? 'float32' : 'float64',
  );
}

export function scalarOrTensor(site: CallSite, v: PyValue): PyValue {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? v : TT(site, v);
}

export function broadcastShape(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const p = a[a.length - rank + i] ?? 1;
    const q = b[b.length - rank + i] ?? 1;
    if (p !== q && p !== 1 && q !== 1)
      throw valueError(`Input dimension mis-match. (input[0].shape[${i}] = ${p}, input[1].shape[${i}] = ${q})`);
    return p === 1 ? q : p;
  });
}
