// Helpers shared by the framework tables: defining functions by signature, reading typed
// arguments, and dtype objects (torch.float32, np.float64, tf.int32, 'float32').
import type { CallSite } from '../callsite';
import { typeError } from '../errors';
import { freeze } from '../frozen';
import { asTensor } from '../ops/coercion';
import { toAxes, toFloat, toInt, truthy } from '../protocols';
import { bindArgs } from '../signature';
import type { Flavour, LogicalDtype, TensorValue } from '../tensor';
import { BuiltinFunction, PyClass, PyInstance, PyList, PyTuple, type PyValue, typeName } from '../values';

export type Bound = Record<string, PyValue>;

/** A native function whose arguments are bound by a Python signature before `impl` runs. */
export function def(
  name: string,
  spec: readonly string[],
  impl: (a: Bound, site: CallSite) => PyValue,
  aliases?: Record<string, string>,
): BuiltinFunction {
  return new BuiltinFunction(name, (args, site) => impl(bindArgs(name, args, spec, aliases), site));
}

export const optionalAxes = (value: PyValue): number[] | undefined => toAxes(value);
export const intArg = (value: PyValue, what = 'argument'): number => toInt(value, what);
export const floatArg = (value: PyValue, what = 'argument'): number => toFloat(value, what);
export const boolArg = (value: PyValue): boolean => truthy(value);
export const optionalInt = (value: PyValue, what = 'argument'): number | undefined =>
  value === null ? undefined : toInt(value, what);

export function tensorList(site: CallSite, value: PyValue, flavour: Flavour): TensorValue[] {
  if (!(value instanceof PyList || value instanceof PyTuple))
    throw typeError(`expected a sequence of tensors, got ${typeName(value)}`);
  return value.items.map((v) => asTensor(site, v, flavour));
}

const DTYPE_CLASS = new PyClass('dtype', [], new Map(), undefined, 'dtype');
const dtypeObjects = new Map<string, PyInstance>();

/** The singleton dtype object for a flavour (torch.float32 is torch.float32), read-only to Python code. */
export function dtypeObject(flavour: Flavour, dtype: LogicalDtype): PyInstance {
  const key = `${flavour}:${dtype}`;
  let object = dtypeObjects.get(key);
  if (!object) {
    object = freeze(new PyInstance(DTYPE_CLASS));
    object.native = dtype;
    object.attrs.set('name', dtype);
    object.attrs.set('is_floating_point', dtype.startsWith('float'));
    dtypeObjects.set(key, object);
  }
  return object;
}

const DTYPE_NAMES: Record<string, LogicalDtype> = {
  float16: 'float16',
  half: 'float16',
  float32: 'float32',
  float: 'float32',
  float64: 'float64',
  double: 'float64',
  int8: 'int8',
  uint8: 'uint8',
  int16: 'int16',
  short: 'int16',
  int32: 'int32',
  int: 'int32',
  int64: 'int64',
  long: 'int64',
  bool: 'bool',
  bool_: 'bool',
  floatx: 'float32',
};

/** A dtype argument: a dtype object, a name ('float32'), or a Python type (float, int, bool). */
export function parseDtype(value: PyValue, flavour: Flavour): LogicalDtype | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof PyInstance && value.cls === DTYPE_CLASS) return value.native as LogicalDtype;
  if (typeof value === 'string') {
    const known = DTYPE_NAMES[value.replace(/^torch\./, '')];
    if (known) return known;
  }
  if (value instanceof BuiltinFunction) {
    // Python builtins as numpy dtypes: float → float64, int → int64, bool → bool
    if (value.name === 'float') return flavour === 'torch' ? 'float32' : 'float64';
    if (value.name === 'int') return 'int64';
    if (value.name === 'bool') return 'bool';
  }
  throw typeError(`unsupported dtype ${typeName(value)} ${typeof value === 'string' ? `'${value}'` : ''}`);
}

export function dtypeEntries(flavour: Flavour, names: Record<string, LogicalDtype>): [string, PyValue][] {
  return Object.entries(names).map(([name, dtype]) => [name, dtypeObject(flavour, dtype)]);
}
