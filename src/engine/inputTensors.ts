// The tensors `loss-lens eval` (and evaluateFile) is given, checked before anything is allocated for
// the loss: nested lists must be rectangular, every element a number TF.js stores as given (no
// float32 overflow, integers where the labels are int), sizes and ranks within bounds, and the
// labels' shape one that goes with the prediction's. Each error is one line naming the element.
import type { Contract } from './contract';
import { DEFAULT_LIMITS } from './python/limits';

export interface FlatTensor {
  data: Float32Array | Int32Array;
  shape: number[];
}

export type InputDtype = 'float' | 'int';

/** A tensor given to eval that cannot be used: the message names the field and element. */
export class InputError extends Error {}

/** Beyond 6 dimensions TF.js's WebAssembly kernels are not exact; no segmentation tensor needs more. */
export const MAX_INPUT_RANK = 6;
/** The interpreter's own bound on one tensor. */
export const MAX_INPUT_ELEMENTS = DEFAULT_LIMITS.maxTensorElements;

const FLOAT32_MAX = 3.4028234663852886e38;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
/** Non-finite values as JSON cannot spell them, and as eval's own output writes them. */
const SPECIAL_NUMBERS: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity };

const thousands = (n: number) => n.toLocaleString('en-US');
const elements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Checks a shape against the rank and size bounds. */
export function checkInputShape(shape: readonly number[], field: string): void {
  if (shape.length > MAX_INPUT_RANK)
    throw new InputError(`${field}: ${shape.length} dimensions: at most ${MAX_INPUT_RANK}`);
  const size = elements(shape);
  if (size > MAX_INPUT_ELEMENTS)
    throw new InputError(`${field}: ${thousands(size)} elements: at most ${thousands(MAX_INPUT_ELEMENTS)}`);
}

/** One element as stored: float32 without overflow, or an int32 label. */
function storedValue(value: number, dtype: InputDtype, where: () => string): number {
  if (dtype === 'int') {
    if (!Number.isInteger(value))
      throw new InputError(`${where()}: ${value} is not an integer (the labels' dtype is int)`);
    if (value < INT32_MIN || value > INT32_MAX) throw new InputError(`${where()}: ${value} does not fit in int32`);
    return value;
  }
  if (Number.isFinite(value) && Math.abs(value) > FLOAT32_MAX)
    throw new InputError(`${where()}: ${value} overflows float32 (largest finite value ${FLOAT32_MAX})`);
  return value;
}

/** A JSON element as a number: numbers, booleans (0/1), "nan", "inf", "-inf". */
function jsonNumber(value: unknown, where: () => string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.toLowerCase() in SPECIAL_NUMBERS) return SPECIAL_NUMBERS[value.toLowerCase()];
  const hint =
    value === null ? ' (write "nan" for NaN)' : typeof value === 'string' ? ' ("nan", "inf", "-inf" are)' : '';
  throw new InputError(`${where()}: expected a number, got ${describe(value)}${hint}`);
}

/** The shape nested lists claim: the lengths down their first elements (checked against the rest later). */
function claimedShape(value: unknown[], field: string): number[] {
  const shape: number[] = [];
  for (let level: unknown = value; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
    if (shape.length > MAX_INPUT_RANK)
      throw new InputError(
        `${field}: lists nested more than ${MAX_INPUT_RANK} deep: at most ${MAX_INPUT_RANK} dimensions`,
      );
  }
  return shape;
}

/** Rectangular nested lists of numbers as a flat tensor (row-major), or an InputError naming the element. */
export function tensorFromNested(value: unknown, field: string, dtype: InputDtype): FlatTensor {
  if (!Array.isArray(value)) throw new InputError(`${field}: expected nested lists of numbers, got ${describe(value)}`);
  const shape = claimedShape(value, field);
  checkInputShape(shape, field);
  const data = dtype === 'int' ? new Int32Array(elements(shape)) : new Float32Array(elements(shape));
  let next = 0;
  const fill = (item: unknown, depth: number, path: string) => {
    if (depth === shape.length) {
      data[next++] = storedValue(
        jsonNumber(item, () => path),
        dtype,
        () => path,
      );
      return;
    }
    if (!Array.isArray(item) || item.length !== shape[depth]) {
      const got = Array.isArray(item) ? `a list of ${item.length}` : describe(item);
      throw new InputError(`${path}: ragged nesting: expected a list of ${shape[depth]} element(s), got ${got}`);
    }
    for (let i = 0; i < item.length; i++) fill(item[i], depth + 1, `${path}[${i}]`);
  };
  fill(value, 0, field);
  return { data, shape };
}

/** The element at a flat index as an index path: `prediction[0][3][1]`. */
function elementPath(field: string, shape: readonly number[], flat: number): string {
  const index: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    index.unshift(flat % shape[d]);
    flat = Math.floor(flat / shape[d]);
  }
  return `${field}${index.map((i) => `[${i}]`).join('')}`;
}

/** Values read from a binary array (row-major) as a checked flat tensor. */
export function tensorFromValues(
  values: ArrayLike<number | bigint>,
  shape: number[],
  field: string,
  dtype: InputDtype,
): FlatTensor {
  checkInputShape(shape, field);
  if (values.length !== elements(shape))
    throw new InputError(`${field}: ${values.length} values for shape [${shape.join(', ')}]`);
  const data = dtype === 'int' ? new Int32Array(values.length) : new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const where = () => elementPath(field, shape, i);
    if (typeof value === 'bigint' && (value < BigInt(INT32_MIN) || value > BigInt(INT32_MAX)) && dtype === 'int')
      throw new InputError(`${where()}: ${value} does not fit in int32`);
    data[i] = storedValue(Number(value), dtype, where);
  }
  return { data, shape };
}

type ShapeContract = Partial<Pick<Contract, 'layout' | 'labels' | 'classes'>>;

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * The labels' shape must go with the prediction's: the same (one-hot), or without the class axis
 * or with it of size 1 (class maps), the class axis being axis 1 or the last (or the one --layout
 * names). --labels and --classes narrow it further.
 */
export function checkInputShapes(prediction: readonly number[], target: readonly number[], given: ShapeContract = {}) {
  const shown = (shape: readonly number[]) => `[${shape.join(', ')}]`;
  const last = prediction.length - 1;
  const axes = given.layout === 'channels_first' ? [1] : given.layout === 'channels_last' ? [last] : [1, last];
  const fits = axes.some((axis) => {
    if (axis < 0 || axis >= prediction.length) return false;
    if (given.classes !== undefined && prediction[axis] !== given.classes) return false;
    const oneHot = sameShape(target, prediction);
    const withoutAxis = prediction.filter((_, i) => i !== axis);
    const classMap =
      sameShape(target, withoutAxis) ||
      sameShape(
        target,
        prediction.map((d, i) => (i === axis ? 1 : d)),
      );
    return given.labels === 'onehot' ? oneHot : given.labels === 'sparse' ? classMap : oneHot || classMap;
  });
  if (fits) return;
  const flags = (['layout', 'labels', 'classes'] as const)
    .filter((key) => given[key] !== undefined)
    .map((key) => `${key} ${given[key]}`);
  throw new InputError(
    `target: shape ${shown(target)} does not go with the prediction's ${shown(prediction)}` +
      `${flags.length ? ` under ${flags.join(', ')}` : ''}: labels have the prediction's shape (one-hot), or ` +
      'it without its class axis or with that axis of size 1 (class maps)',
  );
}
