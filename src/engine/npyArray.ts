// NumPy's .npy format (versions 1.0, 2.0 and 3.0), for eval's large inputs: a header (a Python dict
// literal: dtype, order, shape) then the raw elements. Only plain little-endian numeric and bool
// arrays in C order are read; object arrays (pickles) and structured dtypes are refused, never decoded.
import { InputError, MAX_INPUT_ELEMENTS, MAX_INPUT_RANK } from './inputTensors';

export interface NpyArray {
  shape: number[];
  /** The dtype as the header wrote it ('<f4'). */
  descr: string;
  values: ArrayLike<number | bigint>;
}

const MAGIC = [0x93, ...Buffer.from('NUMPY')];

/** The dtypes read, by descr, with the typed array over their little-endian bytes. */
const DTYPES: Record<string, { size: number; view: (buffer: ArrayBuffer) => ArrayLike<number | bigint> }> = {
  '<f4': { size: 4, view: (b) => new Float32Array(b) },
  '<f8': { size: 8, view: (b) => new Float64Array(b) },
  '<i4': { size: 4, view: (b) => new Int32Array(b) },
  '<i8': { size: 8, view: (b) => new BigInt64Array(b) },
  '|u1': { size: 1, view: (b) => new Uint8Array(b) },
  '|b1': { size: 1, view: (b) => new Uint8Array(b) },
};
const DTYPE_NAMES = 'float32, float64, int32, int64, uint8 and bool';

/** The header's dict literal: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }. */
function parseHeader(header: string, what: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined) {
    const structured = /'descr':\s*\[/.test(header);
    throw new InputError(`${what}: ${structured ? 'a structured dtype' : 'no dtype in the header'}: not read`);
  }
  if (fortran === undefined || shapeText === undefined) throw new InputError(`${what}: not a valid .npy header`);
  const dims = shapeText
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  if (!dims.every((d) => /^\d+L?$/.test(d))) throw new InputError(`${what}: not a valid .npy shape (${shapeText})`);
  return { descr, fortran: fortran === 'True', shape: dims.map((d) => Number.parseInt(d, 10)) };
}

function dtypeProblem(descr: string): string {
  if (descr.includes('O')) return 'an object array (a pickle), never read';
  if (descr.startsWith('>'))
    return `big-endian dtype '${descr}': save it little-endian (arr.astype('<${descr.slice(1)}'))`;
  return `dtype '${descr}' is not read (${DTYPE_NAMES} are)`;
}

/** Reads a .npy file's bytes; `what` names it in errors ("prediction (pred.npy)"). */
export function parseNpy(bytes: Uint8Array, what: string): NpyArray {
  if (!MAGIC.every((b, i) => bytes[i] === b)) throw new InputError(`${what}: not a .npy file (no \\x93NUMPY magic)`);
  const major = bytes[6];
  if (major !== 1 && major !== 2 && major !== 3)
    throw new InputError(`${what}: .npy format version ${major}.${bytes[7]} (1.0, 2.0 and 3.0 are read)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new InputError(`${what}: truncated .npy header`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (bytes.length < dataStart) throw new InputError(`${what}: truncated .npy header`);
  const header = Buffer.from(bytes.subarray(8 + lengthBytes, dataStart)).toString(major === 3 ? 'utf8' : 'latin1');
  const { descr, fortran, shape } = parseHeader(header, what);
  const dtype = DTYPES[descr];
  if (!dtype) throw new InputError(`${what}: ${dtypeProblem(descr)}`);
  if (shape.length > MAX_INPUT_RANK)
    throw new InputError(`${what}: ${shape.length} dimensions: at most ${MAX_INPUT_RANK}`);
  if (shape.length === 0) throw new InputError(`${what}: a 0-d array: the inputs have at least one dimension`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > MAX_INPUT_ELEMENTS)
    throw new InputError(
      `${what}: ${count.toLocaleString('en-US')} elements: at most ${MAX_INPUT_ELEMENTS.toLocaleString('en-US')}`,
    );
  if (fortran && shape.filter((d) => d > 1).length > 1)
    throw new InputError(`${what}: Fortran order: save it in C order (np.ascontiguousarray(arr))`);
  const dataBytes = count * dtype.size;
  if (bytes.length !== dataStart + dataBytes)
    throw new InputError(
      `${what}: ${bytes.length - dataStart} data bytes for ${count} '${descr}' elements (${dataBytes} expected)`,
    );
  // A copy (Buffer's slice would share its pool): the typed array needs an aligned buffer of its own.
  const data = new Uint8Array(bytes.subarray(dataStart, dataStart + dataBytes)).buffer;
  return { shape, descr, values: dtype.view(data) };
}

/** The bytes a .npy file of at most MAX_INPUT_ELEMENTS 8-byte elements can take, header included. */
export const MAX_NPY_BYTES = MAX_INPUT_ELEMENTS * 8 + 65536;
