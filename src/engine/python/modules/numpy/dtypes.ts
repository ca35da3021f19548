// numpy's dtypes: the dtype objects (np.float32.kind, itemsize, char; callable like np.float32(x)),
// np.dtype, result_type, the abstract scalar classes for isinstance/issubdtype, finfo and iinfo.
import { OBJECT_CLASS, TYPE_CLASSES } from '../../builtins';
import { typeError, valueError } from '../../errors';
import { promoteTypes } from '../../ops/coercion';
import { isTensor, toFloat } from '../../protocols';
import { type LogicalDtype, isFloatDtype, isIntDtype } from '../../tensor';
import { BuiltinFunction, PyClass, PyInstance, PyTuple } from '../../values';
import { dtypeEntries, dtypeObject } from '../common';
import { FLAVOUR, N, dtypeArg, isNumberLike } from './arguments';
import { arrayValue } from './creation';
import { fn, npFunctions } from './tables';

const NUMPY_DTYPES: Record<string, LogicalDtype> = {
  float16: 'float16',
  half: 'float16',
  float32: 'float32',
  single: 'float32',
  float64: 'float64',
  double: 'float64',
  float_: 'float64',
  longdouble: 'float64',
  int8: 'int8',
  int16: 'int16',
  short: 'int16',
  int32: 'int32',
  intc: 'int32',
  int64: 'int64',
  int_: 'int64',
  intp: 'int64',
  longlong: 'int64',
  uint8: 'uint8',
  ubyte: 'uint8',
  bool_: 'bool',
  bool: 'bool',
  // removed in numpy 1.24 (aliases of the Python builtins), still common in older loss code
  float: 'float64',
  int: 'int64',
};
export const DTYPE_KIND: Record<LogicalDtype, [string, number]> = {
  float16: ['f', 2],
  float32: ['f', 4],
  float64: ['f', 8],
  int8: ['i', 1],
  int16: ['i', 2],
  int32: ['i', 4],
  int64: ['i', 8],
  uint8: ['u', 1],
  bool: ['b', 1],
};
const numpyDtypeObjects = new Set<PyInstance>();
for (const [name, value] of dtypeEntries(FLAVOUR, NUMPY_DTYPES)) {
  npFunctions.set(name, value);
  const object = value as PyInstance;
  const dtype = object.native as LogicalDtype;
  numpyDtypeObjects.add(object);
  object.attrs.set('kind', DTYPE_KIND[dtype][0]);
  object.attrs.set('itemsize', BigInt(DTYPE_KIND[dtype][1]));
  object.attrs.set('type', object);
  object.attrs.set(
    'char',
    { float16: 'e', float32: 'f', float64: 'd', int8: 'b', int16: 'h', int32: 'i', int64: 'l', uint8: 'B', bool: '?' }[
      dtype
    ],
  );
}

/** np.float32(x): numpy scalar types convert their argument (an astype for arrays). */
const DTYPE_CALL = new BuiltinFunction('dtype.__call__', (args, site) => {
  const self = args.positional[0] as PyInstance;
  if (!numpyDtypeObjects.has(self)) throw typeError("'dtype' object is not callable");
  const dtype = self.native as LogicalDtype;
  const value = args.positional.length > 1 ? args.positional[1] : dtype === 'bool' ? false : 0n;
  if (typeof value === 'string') return N(site, toFloat(value), dtype);
  return arrayValue(site, value, dtype, false);
});
{
  // The dtype class is shared by every framework table; only numpy's dtype objects are callable.
  const dtypeClass = dtypeObject(FLAVOUR, 'float32').cls;
  if (!dtypeClass.attrs.has('__call__')) dtypeClass.attrs.set('__call__', DTYPE_CALL);
}

fn('dtype', ['dtype', 'align=False', 'copy=False'], (a) => {
  const parsed = isTensor(a.dtype) ? a.dtype.dtype : dtypeArg(a.dtype);
  if (!parsed) throw typeError('Cannot interpret None as a data type');
  return dtypeObject(FLAVOUR, parsed);
});
fn('result_type', ['*arrays_and_dtypes'], (a, site) => {
  const dtypes = (a.arrays_and_dtypes as PyTuple).items.map((v) =>
    isTensor(v) ? v.dtype : isNumberLike(v) ? N(site, v).dtype : dtypeArg(v)!,
  );
  return dtypeObject(
    FLAVOUR,
    dtypes.reduce((p, q) => promoteTypes(p, q, FLAVOUR)),
  );
});

/** Abstract scalar classes for isinstance()/issubdtype(): 0-d arrays stand for numpy scalars. */
const GENERIC = new PyClass('generic', [OBJECT_CLASS], new Map(), undefined, 'numpy.generic');
const NUMBER = new PyClass('number', [GENERIC], new Map(), undefined, 'numpy.number');
const INTEGER = new PyClass('integer', [NUMBER], new Map(), undefined, 'numpy.integer');
const SIGNED = new PyClass('signedinteger', [INTEGER], new Map(), undefined, 'numpy.signedinteger');
const UNSIGNED = new PyClass('unsignedinteger', [INTEGER], new Map(), undefined, 'numpy.unsignedinteger');
const INEXACT = new PyClass('inexact', [NUMBER], new Map(), undefined, 'numpy.inexact');
const FLOATING = new PyClass('floating', [INEXACT], new Map(), undefined, 'numpy.floating');
const ABSTRACT: [PyClass, (d: LogicalDtype) => boolean][] = [
  [GENERIC, () => true],
  [NUMBER, (d) => d !== 'bool'],
  [INTEGER, isIntDtype],
  [SIGNED, (d) => isIntDtype(d) && d !== 'uint8'],
  [UNSIGNED, (d) => d === 'uint8'],
  [INEXACT, isFloatDtype],
  [FLOATING, isFloatDtype],
];
for (const [cls, test] of ABSTRACT) {
  npFunctions.set(cls.name, cls);
  TYPE_CLASSES.set(cls, (v) => isTensor(v) && v.flavour === FLAVOUR && v.rank === 0 && test(v.dtype));
}
fn('issubdtype', ['arg1', 'arg2'], (a) => {
  const d1 = isTensor(a.arg1) ? a.arg1.dtype : dtypeArg(a.arg1)!;
  const abstract = ABSTRACT.find(([cls]) => cls === a.arg2);
  if (abstract) return abstract[1](d1);
  return d1 === dtypeArg(a.arg2);
});

const FINFO: Partial<Record<LogicalDtype, Record<string, number>>> = {
  float16: { eps: 0.0009765625, tiny: 6.103515625e-5, max: 65504, min: -65504, resolution: 0.001, bits: 16 },
  float32: {
    eps: 1.1920928955078125e-7,
    tiny: 1.1754943508222875e-38,
    max: 3.4028234663852886e38,
    min: -3.4028234663852886e38,
    resolution: 1e-6,
    bits: 32,
  },
  float64: {
    eps: 2.220446049250313e-16,
    tiny: 2.2250738585072014e-308,
    max: Number.MAX_VALUE,
    min: -Number.MAX_VALUE,
    resolution: 1e-15,
    bits: 64,
  },
};
const FINFO_CLASS = new PyClass('finfo', [OBJECT_CLASS], new Map(), undefined, 'numpy.finfo');
const IINFO_CLASS = new PyClass('iinfo', [OBJECT_CLASS], new Map(), undefined, 'numpy.iinfo');
const INT_RANGES: Partial<Record<LogicalDtype, [bigint, bigint, number]>> = {
  int8: [-128n, 127n, 8],
  int16: [-32768n, 32767n, 16],
  int32: [-2147483648n, 2147483647n, 32],
  int64: [-9223372036854775808n, 9223372036854775807n, 64],
  uint8: [0n, 255n, 8],
};
fn('finfo', ['dtype'], (a) => {
  const dtype = isTensor(a.dtype) ? a.dtype.dtype : typeof a.dtype === 'number' ? 'float64' : dtypeArg(a.dtype);
  const info = dtype && FINFO[dtype];
  if (!info) throw valueError(`data type ${dtype ?? 'None'} not inexact`);
  const object = new PyInstance(FINFO_CLASS);
  for (const [k, v] of Object.entries(info)) object.attrs.set(k, k === 'bits' ? BigInt(v) : v);
  object.attrs.set('dtype', dtypeObject(FLAVOUR, dtype!));
  return object;
});
fn('iinfo', ['int_type'], (a) => {
  const dtype = isTensor(a.int_type)
    ? a.int_type.dtype
    : typeof a.int_type === 'bigint'
      ? 'int64'
      : dtypeArg(a.int_type);
  const range = dtype && INT_RANGES[dtype];
  if (!range) throw valueError(`Invalid integer data type '${dtype ?? 'None'}'.`);
  const object = new PyInstance(IINFO_CLASS);
  object.attrs.set('min', range[0]);
  object.attrs.set('max', range[1]);
  object.attrs.set('bits', BigInt(range[2]));
  object.attrs.set('dtype', dtypeObject(FLAVOUR, dtype!));
  return object;
});
