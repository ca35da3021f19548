// Coercion: Python values → tensors, casts, and the dtype and broadcasting rules frameworks apply when
// tensors and scalars meet.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../callsite';
import { typeError, valueError } from '../errors';
import { isTensor, opaqueError, toFloat } from '../protocols';
import { type Flavour, type LogicalDtype, TensorValue, isFloatDtype, isIntDtype } from '../tensor';
import { PyInstance, PyList, PyOpaque, PyTuple, type PyValue, typeName } from '../values';

export const defaultFloat = (flavour: Flavour): LogicalDtype => (flavour === 'numpy' ? 'float64' : 'float32');
export const defaultInt = (flavour: Flavour): LogicalDtype => (flavour === 'tf' ? 'int32' : 'int64');

const RANK: Record<LogicalDtype, number> = {
  bool: 0,
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 3,
  int64: 4,
  float16: 5,
  float32: 6,
  float64: 7,
};

/** dtype of a tensor-tensor op: the wider of the two (int + float → float). */
export function promoteTypes(a: LogicalDtype, b: LogicalDtype, flavour: Flavour): LogicalDtype {
  if (a === b) return a;
  // torch: int64 + float32 → float32
  if (flavour !== 'numpy' && isFloatDtype(a) !== isFloatDtype(b)) return isFloatDtype(a) ? a : b;
  return RANK[a] >= RANK[b] ? a : b;
}

/** A Python scalar is "weak": it does not widen a tensor of its own kind (float32 * 2.0 stays float32). */
function scalarDtype(value: number | bigint | boolean, flavour: Flavour): LogicalDtype {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return defaultInt(flavour);
  return defaultFloat(flavour);
}

export function promoteWithScalar(
  tensorDtype: LogicalDtype,
  scalar: number | bigint | boolean,
  flavour: Flavour,
): LogicalDtype {
  if (typeof scalar === 'number') return isFloatDtype(tensorDtype) ? tensorDtype : defaultFloat(flavour);
  if (typeof scalar === 'bigint') return tensorDtype === 'bool' ? defaultInt(flavour) : tensorDtype;
  return tensorDtype;
}

/** Element kind of a nested Python list, for tensor construction. */
function inferListDtype(value: PyValue, flavour: Flavour): LogicalDtype {
  let sawFloat = false;
  let sawInt = false;
  let sawBool = false;
  const visit = (v: PyValue) => {
    if (v instanceof PyList || v instanceof PyTuple) v.items.forEach(visit);
    else if (typeof v === 'number') sawFloat = true;
    else if (typeof v === 'bigint') sawInt = true;
    else if (typeof v === 'boolean') sawBool = true;
    else if (isTensor(v) && isFloatDtype(v.dtype)) sawFloat = true;
    else if (isTensor(v) && isIntDtype(v.dtype)) sawInt = true;
    else if (isTensor(v)) sawBool = true;
  };
  visit(value);
  if (sawFloat) return defaultFloat(flavour);
  if (sawInt) return defaultInt(flavour);
  if (sawBool) return 'bool';
  return defaultFloat(flavour);
}

function nestedNumbers(value: PyValue): { data: number[]; shape: number[] } {
  if (value instanceof PyList || value instanceof PyTuple) {
    if (value.items.length === 0) return { data: [], shape: [0] };
    const parts = value.items.map(nestedNumbers);
    const inner = parts[0].shape;
    for (const p of parts) {
      if (p.shape.join(',') !== inner.join(',')) throw typeError('cannot build a tensor from a ragged nested sequence');
    }
    return { data: parts.flatMap((p) => p.data), shape: [value.items.length, ...inner] };
  }
  if (isTensor(value))
    return { data: Array.from(value.tensor.dataSync() as ArrayLike<number>, Number), shape: value.shape };
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return { data: [toFloat(value)], shape: [] };
  if (value instanceof PyOpaque) throw opaqueError(value); // says what the value is and where it came from
  throw typeError(`cannot convert ${typeName(value)} to a tensor`);
}

/**
 * Converts a Python value (scalar, nested list, tensor) into a tensor of the given flavour.
 * Tensors pass through untouched (their gradient and origin are kept).
 */
export function asTensor(site: CallSite, value: PyValue, flavour: Flavour, dtype?: LogicalDtype): TensorValue {
  if (isTensor(value)) return dtype && dtype !== value.dtype ? castTensor(site, value, dtype) : value;
  if (value instanceof PyList || value instanceof PyTuple) {
    const tensors = collectTensors(value);
    if (tensors.length) {
      // A list of tensors (e.g. torch.tensor([a, b]) or np.array([x, y])): stack them, keeping gradients.
      return stackNested(site, value, flavour, dtype);
    }
  }
  if (value instanceof PyInstance) throw typeError(`cannot convert a ${value.cls.name} object to a tensor`);
  const { data, shape } = nestedNumbers(value);
  const logical =
    dtype ??
    (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean'
      ? scalarDtype(value, flavour)
      : inferListDtype(value, flavour));
  return site.rt.constant(data, shape, logical, flavour);
}

function collectTensors(value: PyValue): TensorValue[] {
  if (isTensor(value)) return [value];
  if (value instanceof PyList || value instanceof PyTuple) return value.items.flatMap(collectTensors);
  return [];
}

function stackNested(site: CallSite, value: PyValue, flavour: Flavour, dtype?: LogicalDtype): TensorValue {
  if (!(value instanceof PyList || value instanceof PyTuple)) return asTensor(site, value, flavour, dtype);
  const parts = value.items.map((item) => stackNested(site, item, flavour, dtype));
  const common = dtype ?? parts.map((p) => p.dtype).reduce((a, b) => promoteTypes(a, b, flavour));
  const cast = parts.map((p) => (p.dtype === common ? p : castTensor(site, p, common)));
  const kind = { category: 'join', method: 'stack', axis: 0 } as const;
  return site.rt.apply(site, 'stack', cast, (ts) => tf.stack(ts), { kind, dtype: common, flavour });
}

/** dtype conversion with the framework's gradient rule: float → float flows, anything else is cut. */
export function castTensor(site: CallSite, value: TensorValue, dtype: LogicalDtype, op = 'cast'): TensorValue {
  if (value.dtype === dtype) return value;
  const gradient = isFloatDtype(dtype) && isFloatDtype(value.dtype) ? 'flow' : 'cut';
  return site.rt.apply(
    site,
    op,
    [value],
    ([t]) => {
      // Truncation toward zero, like C casts.
      if (isIntDtype(dtype) && isFloatDtype(value.dtype)) return tf.cast(t.sign().mul(t.abs().floor()), 'int32');
      return tf.cast(t, dtype === 'bool' ? 'bool' : isFloatDtype(dtype) ? 'float32' : 'int32');
    },
    { kind: { category: 'cast', to: dtype }, dtype, gradient },
  );
}

/** Makes a framework's error for two shapes that do not broadcast (each framework words it its own way). */
export type BroadcastError = (a: readonly number[], b: readonly number[]) => Error;

const operandsError: BroadcastError = (a, b) =>
  valueError(`operands could not be broadcast together with shapes (${a.join(', ')}) (${b.join(', ')})`);

/**
 * Shape that two shapes broadcast to. Shapes that do not broadcast raise `incompatible`'s error
 * (by default the shared ops' ValueError); `null` leaves them unchecked (an axis takes the first
 * shape's size unless that is 1) for callers whose TF.js kernel reports the mismatch itself.
 */
export function broadcastShapes(
  a: readonly number[],
  b: readonly number[],
  incompatible: BroadcastError | null = operandsError,
): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (incompatible && x !== y && x !== 1 && y !== 1) throw incompatible(a, b);
    out.push(x === 1 ? y : x);
  }
  return out;
}
