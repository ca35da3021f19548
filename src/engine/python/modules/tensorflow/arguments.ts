// TF's conversion and argument rules, shared by every tf.* table: Python values and numpy arrays
// to tf.Tensors, operands that must share a dtype (TF never promotes), dtype and kernel checks,
// and the axis, shape and list arguments.
import type { CallSite } from '../../callsite';
import { InterpreterError, invalidArgumentError, notFoundError, typeError, valueError } from '../../errors';
import { asTensor, castTensor } from '../../ops/coercion';
import { isTensor, repr, toInt } from '../../protocols';
import { type LogicalDtype, TensorValue, isFloatDtype, isIntDtype } from '../../tensor';
import { BuiltinFunction, PyList, PyTuple, type PyValue } from '../../values';
import { parseDtype } from '../common';

export const TF_FLAVOUR = 'tf' as const;

/** TF's eager error for operands that do not broadcast, as a broadcastShapes callback. */
export const incompatibleShapes = (op: string) => (a: readonly number[], b: readonly number[]) =>
  invalidArgumentError(`Incompatible shapes: [${a.join(',')}] vs. [${b.join(',')}] [Op:${op}]`);

const DT_NAMES: Record<LogicalDtype, string> = {
  float16: 'DT_HALF',
  float32: 'DT_FLOAT',
  float64: 'DT_DOUBLE',
  uint8: 'DT_UINT8',
  int8: 'DT_INT8',
  int16: 'DT_INT16',
  int32: 'DT_INT32',
  int64: 'DT_INT64',
  bool: 'DT_BOOL',
};

/** TF has no kernel of this op for this dtype (tf.math.log of an int tensor, arithmetic on bools). */
export function noKernel(kernel: string, dtype: LogicalDtype): InterpreterError {
  return notFoundError(
    `Could not find device for node: {{node ${kernel}}} = ${kernel}[T=${DT_NAMES[dtype]}]: ` +
      `TensorFlow has no ${kernel} kernel for ${dtype} tensors (cast first)`,
  );
}

/** A dtype argument: tf.float32, 'float32', np.float32, or Python's float/int/bool. */
export function tfDtype(value: PyValue): LogicalDtype | undefined {
  if (value instanceof BuiltinFunction) {
    if (value.name === 'float') return 'float32';
    if (value.name === 'int') return 'int64';
    if (value.name === 'bool') return 'bool';
  }
  return parseDtype(value, TF_FLAVOUR);
}

/** The same tensor as a tf.Tensor (numpy arrays handed to TF functions become tensors). */
export function asTf(value: TensorValue): TensorValue {
  if (value.flavour === TF_FLAVOUR) return value;
  return new TensorValue(value.tensor, value.dtype, TF_FLAVOUR, value.origin, value.requiresGrad, value.producer);
}

/** tf.convert_to_tensor without a dtype: tensors pass through, Python values become float32/int32/bool. */
export const T = (site: CallSite, value: PyValue): TensorValue => {
  if (value === null)
    throw valueError("Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.");
  return asTf(asTensor(site, value, TF_FLAVOUR));
};

export const isTfTensor = (value: PyValue): value is TensorValue => isTensor(value) && value.flavour !== 'numpy';

/** tf.convert_to_tensor(value, dtype): Python values and numpy arrays take the dtype if they can. */
export function convertTo(site: CallSite, value: PyValue, dtype: LogicalDtype | undefined): TensorValue {
  if (isTensor(value)) {
    if (!dtype || value.dtype === dtype) return asTf(value);
    if (value.flavour === 'numpy') {
      if (isFloatDtype(value.dtype) && !isFloatDtype(dtype))
        throw typeError(`Cannot convert a ${value.dtype} array to EagerTensor of dtype ${dtype}`);
      return asTf(castTensor(site, value, dtype));
    }
    throw valueError(`Tensor conversion requested dtype ${dtype} for Tensor with dtype ${value.dtype}: ${repr(value)}`);
  }
  const inferred = T(site, value);
  if (!dtype || inferred.dtype === dtype) return inferred;
  const lossy =
    (isFloatDtype(inferred.dtype) && !isFloatDtype(dtype)) || (inferred.dtype === 'bool') !== (dtype === 'bool');
  if (lossy) throw typeError(`Cannot convert ${repr(value)} to EagerTensor of dtype ${dtype}`);
  return asTf(castTensor(site, inferred, dtype));
}

/**
 * The two operands of a binary TF op: TF never promotes, so tensors must share a dtype, and a
 * Python scalar (or numpy array) is converted to the tensor's dtype (0.5 with an int32 tensor is a
 * TypeError, as in TF).
 */
export function tfOperands(site: CallSite, kernel: string, a: PyValue, b: PyValue): [TensorValue, TensorValue] {
  if (isTfTensor(a) && isTfTensor(b)) {
    if (a.dtype !== b.dtype) {
      throw invalidArgumentError(
        `cannot compute ${kernel} as input #1(zero-based) was expected to be a ${a.dtype} ` +
          `tensor but is a ${b.dtype} tensor [Op:${kernel}]`,
      );
    }
    return [a, b];
  }
  if (isTfTensor(a)) return [a, convertTo(site, b, a.dtype)];
  if (isTfTensor(b)) return [convertTo(site, a, b.dtype), b];
  const x = T(site, a);
  return [x, convertTo(site, b, x.dtype)];
}

export function requireFloat(x: TensorValue, kernel: string): void {
  if (!isFloatDtype(x.dtype)) throw noKernel(kernel, x.dtype);
}

export function requireNumeric(x: TensorValue, kernel: string): void {
  if (x.dtype === 'bool') throw noKernel(kernel, x.dtype);
}

export function requireBool(x: TensorValue, what: string): void {
  if (x.dtype !== 'bool')
    throw typeError(`Value passed to parameter '${what}' has DataType ${x.dtype} not in list of allowed values: bool`);
}

/** Axes of a TF `axis` argument (int, list, tuple, or an int tensor), checked and normalised. */
export function tfAxes(value: PyValue, rank: number, kernel: string): number[] | undefined {
  if (value === null || value === undefined) return undefined;
  let raw: number[];
  if (isTensor(value)) {
    if (!isIntDtype(value.dtype))
      throw typeError(
        `Value passed to parameter 'reduction_indices' has DataType ${value.dtype} ` +
          'not in list of allowed values: int32, int64',
      );
    raw = Array.from(value.tensor.dataSync(), Number);
  } else if (value instanceof PyList || value instanceof PyTuple) raw = value.items.map((v) => toInt(v, 'axis'));
  else raw = [toInt(value, 'axis')];
  const out: number[] = [];
  for (const a of raw) {
    if (a < -rank || a >= rank || (rank === 0 && a !== 0 && a !== -1)) {
      throw invalidArgumentError(
        `Invalid reduction dimension (${a} for input with ${rank} dimension(s) ` + `[Op:${kernel}]`,
      );
    }
    const n = rank === 0 ? 0 : a < 0 ? a + rank : a;
    if (!out.includes(n)) out.push(n);
  }
  return rank === 0 ? [] : out.sort((p, q) => p - q);
}

/** A single axis (softmax, concat, expand_dims...), normalised against `rank`. */
export function tfAxis(value: PyValue, rank: number, kernel: string): number {
  const a = toInt(value, 'axis');
  const r = Math.max(rank, 1);
  if (a < -r || a >= r) {
    throw invalidArgumentError(`axis ${a} is out of bounds for a tensor of rank ${rank} [Op:${kernel}]`);
  }
  return a < 0 ? a + r : a;
}

export function shapeOf(value: PyValue): number[] {
  if (isTensor(value)) {
    if (!isIntDtype(value.dtype)) throw typeError(`shape must be an integer tensor, got ${value.dtype}`);
    return Array.from(value.tensor.dataSync(), Number);
  }
  if (value instanceof PyList || value instanceof PyTuple) return value.items.map((v) => toInt(v, 'shape'));
  return [toInt(value, 'shape')];
}

/** Converts a list of values to tensors of one dtype (tensors fix it; Python values follow). */
export function sameDtype(site: CallSite, kernel: string, items: PyValue[]): TensorValue[] {
  const first = items.find(isTfTensor) as TensorValue | undefined;
  const dtype = first?.dtype ?? T(site, items[0]).dtype;
  return items.map((item) => {
    if (isTfTensor(item) && item.dtype !== dtype) {
      throw invalidArgumentError(
        `cannot compute ${kernel} as input #${items.indexOf(item)}(zero-based) was ` +
          `expected to be a ${dtype} tensor but is a ${item.dtype} tensor [Op:${kernel}]`,
      );
    }
    return convertTo(site, item, dtype);
  });
}
