// `loss-lens eval --inputs FILE.json`: the prediction and labels, as nested lists in the JSON or as
// NumPy .npy files it names ({"npy": "labels.npy"}, relative to the JSON's folder and inside it).
// Every problem is one InputError line naming the field and element.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
// The plain modules, not the engine's index: the CLI process does not load TF.js.
import {
  type FlatTensor,
  type InputDtype,
  InputError,
  tensorFromNested,
  tensorFromValues,
} from '../engine/inputTensors';
import type { LossInputs } from '../engine/program';
import { MAX_NPY_BYTES, parseNpy } from '../engine/npyArray';
import { FileReadError, readRegularFile } from '../engine/project/regularFile';

/** Nested lists cost ~10 bytes of JSON per number; larger volumes belong in .npy files. */
export const MAX_INPUTS_JSON_BYTES = 64 * 1024 * 1024;

const FIELDS = ['prediction', 'target', 'target_dtype'];
const INTEGER_DTYPES = ['<i4', '<i8', '|u1', '|b1'];

/** Where JSON.parse stopped, as line and column (V8 says "at position N"). */
function jsonProblem(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  let where = '';
  if (position) {
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    where = ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
  }
  if (/(^|[^\w"])(-?Infinity|NaN)\b/.test(text))
    return `not valid JSON${where}: NaN and Infinity are not JSON; write "nan", "inf" or "-inf"`;
  return `not valid JSON${where}: ${message.split('\n')[0]}`;
}

function parsedJson(path: string): unknown {
  const bytes = readRegularFile(path, path, {
    bytes: MAX_INPUTS_JSON_BYTES,
    what: 'input JSON files (larger arrays go in .npy files)',
  });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('not valid JSON: the file is not UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(jsonProblem(error, text));
  }
}

const isNpyReference = (value: unknown): value is { npy: unknown } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'npy' in value;

/** A .npy file named by the inputs JSON, read only when it lies inside the JSON's folder. */
function npyTensor(reference: { npy: unknown }, field: string, folder: string, dtype?: InputDtype) {
  const extra = Object.keys(reference).filter((key) => key !== 'npy');
  if (extra.length) throw new InputError(`${field}: unknown key '${extra[0]}' next to "npy"`);
  const name = reference.npy;
  if (typeof name !== 'string' || !name.endsWith('.npy'))
    throw new InputError(`${field}: "npy" must name a .npy file, got ${JSON.stringify(name)}`);
  if (isAbsolute(name)) throw new InputError(`${field}: ${name}: the path must be relative to the inputs file`);
  let real: string;
  try {
    real = realpathSync(resolve(folder, name));
  } catch {
    // readRegularFile words the reason (no such file, permission denied, a loop of links).
    real = resolve(folder, name);
    readRegularFile(real, name, { bytes: MAX_NPY_BYTES, what: '.npy files' });
  }
  const inside = relative(folder, real);
  if (inside.startsWith('..') || isAbsolute(inside))
    throw new InputError(`${field}: ${name} is outside the inputs file's folder: not read`);
  const array = parseNpy(
    readRegularFile(real, name, { bytes: MAX_NPY_BYTES, what: '.npy files' }),
    `${field} (${name})`,
  );
  const type = dtype ?? (INTEGER_DTYPES.includes(array.descr) ? 'int' : 'float');
  return { tensor: tensorFromValues(array.values, array.shape, field, type), dtype: type };
}

/** The inputs file as the loss's inputs; an InputError (or FileReadError) says what is wrong where. */
export function readEvalInputs(path: string): LossInputs {
  const raw = parsedJson(path);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InputError(
      `expected a JSON object with "prediction" and "target", got ${raw === null ? 'null' : typeof raw}`,
    );
  const fields = raw as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !FIELDS.includes(key));
  if (unknown) throw new InputError(`unknown field "${unknown}" (the fields: ${FIELDS.join(', ')})`);
  for (const field of ['prediction', 'target'])
    if (!(field in fields)) throw new InputError(`no "${field}" field (nested lists, or {"npy": "file.npy"})`);
  const given = fields.target_dtype;
  if (given !== undefined && given !== 'float' && given !== 'int')
    throw new InputError(`target_dtype: must be "float" or "int", got ${JSON.stringify(given)}`);
  const folder = realpathSync(dirname(resolve(path)));
  const tensor = (field: string, dtype?: InputDtype): { tensor: FlatTensor; dtype: InputDtype } =>
    isNpyReference(fields[field])
      ? npyTensor(fields[field] as { npy: unknown }, field, folder, dtype)
      : { tensor: tensorFromNested(fields[field], field, dtype ?? 'float'), dtype: dtype ?? 'float' };
  const prediction = tensor('prediction', 'float').tensor;
  const target = tensor('target', given as InputDtype | undefined);
  return {
    prediction: prediction as LossInputs['prediction'],
    target: target.tensor,
    targetDtype: target.dtype,
  };
}

/** An input error as the CLI prints it: the option and file first. */
export const inputsMessage = (path: string, error: InputError | FileReadError) =>
  error instanceof FileReadError ? `--inputs: ${error.message}` : `--inputs ${path}: ${error.message}`;
