// Python's built-in functions and classes, and the refusals of the ones the sandbox never runs.
import { makeSet } from './sets';
import { CLASSMETHOD, PROPERTY, STATICMETHOD, sortItems, updateDict } from './attributes';
import type { CallSite } from './callsite';
import { InterpreterError, runtimeError, stopIteration, typeError, valueError } from './errors';
import { roundingKind, unaryKind } from './opKinds';
import { unaryOp } from './ops/elementwise';
import { isTensor, iterate, length, pyCompare, repr, str, tensorScalar, toFloat, toInt, truthy } from './protocols';
import { binary } from './operators';
import { TensorValue } from './tensor';
import { formatValue } from './formatSpec';
import * as tf from '@tensorflow/tfjs';
import {
  type Args,
  BoundMethod,
  BuiltinFunction,
  ELLIPSIS,
  PyClass,
  PyDict,
  PyFunction,
  PyInstance,
  PyIterator,
  PyList,
  PySet,
  PyOpaque,
  PySlice,
  PyTuple,
  type PyValue,
  typeName,
} from './values';

const fn = (name: string, impl: (args: Args, site: CallSite) => PyValue) => new BuiltinFunction(name, impl);

// ------------------------------------------------------------------ classes

export const OBJECT_CLASS = new PyClass(
  'object',
  [],
  new Map([['__init__', fn('__init__', () => null)]]),
  undefined,
  'builtins.object',
);

const EXCEPTION_NAMES = [
  'BaseException',
  'Exception',
  'ValueError',
  'TypeError',
  'RuntimeError',
  'NotImplementedError',
  'AssertionError',
  'IndexError',
  'KeyError',
  'AttributeError',
  'ZeroDivisionError',
  'ArithmeticError',
  'LookupError',
  'NameError',
  'UnboundLocalError',
  'Warning',
  'UserWarning',
  'StopIteration',
  'OverflowError',
  'ImportError',
  'ModuleNotFoundError',
];
const EXCEPTION_PARENTS: Record<string, string> = {
  Exception: 'BaseException',
  ValueError: 'Exception',
  TypeError: 'Exception',
  RuntimeError: 'Exception',
  NotImplementedError: 'RuntimeError',
  AssertionError: 'Exception',
  IndexError: 'LookupError',
  KeyError: 'LookupError',
  LookupError: 'Exception',
  AttributeError: 'Exception',
  ZeroDivisionError: 'ArithmeticError',
  ArithmeticError: 'Exception',
  NameError: 'Exception',
  UnboundLocalError: 'NameError',
  Warning: 'Exception',
  UserWarning: 'Warning',
  StopIteration: 'Exception',
  OverflowError: 'ArithmeticError',
  ImportError: 'Exception',
  ModuleNotFoundError: 'ImportError',
};

const exceptionClasses = new Map<string, PyClass>();
/** Parents before children, whatever the order of EXCEPTION_NAMES. */
function defineException(name: string): PyClass {
  const existing = exceptionClasses.get(name);
  if (existing) return existing;
  const parent = EXCEPTION_PARENTS[name];
  const attrs = new Map<string, PyValue>();
  if (name === 'BaseException') {
    attrs.set('__is_exception__', true);
    attrs.set(
      '__init__',
      fn('__init__', (a) => {
        (a.positional[0] as PyInstance).attrs.set('args', new PyTuple(a.positional.slice(1)));
        return null;
      }),
    );
  }
  const cls = new PyClass(
    name,
    parent ? [defineException(parent)] : [OBJECT_CLASS],
    attrs,
    undefined,
    `builtins.${name}`,
  );
  exceptionClasses.set(name, cls);
  return cls;
}
EXCEPTION_NAMES.forEach(defineException);

/** The built-in exception class for a Python error type name (unknown names map to Exception). */
export function exceptionClass(name: string): PyClass {
  return exceptionClasses.get(name) ?? exceptionClasses.get('Exception')!;
}

export function isExceptionClass(cls: PyClass): boolean {
  return cls.lookup('__is_exception__') === true;
}

export function makeException(cls: PyClass, message: string): PyInstance {
  const instance = new PyInstance(cls);
  instance.attrs.set('args', new PyTuple([message]));
  return instance;
}

function wrapperClass(marker: PyClass): BuiltinFunction {
  return fn(marker.name, (a) => {
    const instance = new PyInstance(marker);
    instance.native = a.positional[0];
    return instance;
  });
}

// ------------------------------------------------------------------ helpers

function minMax(name: 'min' | 'max', a: Args, site: CallSite): PyValue {
  const keyFn = a.keywords.get('key') ?? null;
  const items = a.positional.length === 1 ? [...iterate(a.positional[0], site)] : a.positional;
  if (!items.length) {
    if (a.keywords.has('default')) return a.keywords.get('default')!;
    throw valueError(`${name}() arg is an empty sequence`);
  }
  if (items.some(isTensor)) {
    // max(t1, t2) on tensors: Python compares with `>`, which is elementwise and fails for >1 element.
    return items.reduce((best, item) => {
      const better = name === 'max' ? binary('>', item, best, site) : binary('<', item, best, site);
      return truthy(better) ? item : best;
    });
  }
  let best = items[0];
  let bestKey = keyFn === null ? best : site.rt.call(keyFn, { positional: [best], keywords: new Map() }, site.range);
  for (const item of items.slice(1)) {
    const k = keyFn === null ? item : site.rt.call(keyFn, { positional: [item], keywords: new Map() }, site.range);
    const c = pyCompare(k, bestKey);
    if (name === 'max' ? c > 0 : c < 0) {
      best = item;
      bestKey = k;
    }
  }
  return best;
}

const MAX_INT_STR_DIGITS = 4300;

function toPyInt(value: PyValue, base?: PyValue): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw valueError(`cannot convert float ${value} to integer`);
    return BigInt(Math.trunc(value));
  }
  if (typeof value === 'string') {
    const radix = base === undefined ? 10 : toInt(base);
    const text = value.trim().replace(/_/g, '');
    // CPython's own bound (sys.get_int_max_str_digits): parsing longer digit strings is quadratic.
    if (text.length > MAX_INT_STR_DIGITS)
      throw valueError(`Exceeds the limit (${MAX_INT_STR_DIGITS} digits) for integer string conversion`);
    if (radix === 10 && /^[+-]?\d+$/.test(text)) return BigInt(text);
    const parsed = parseInt(text, radix);
    if (Number.isNaN(parsed)) throw valueError(`invalid literal for int() with base ${radix}: '${value}'`);
    return BigInt(parsed);
  }
  if (value instanceof TensorValue) return BigInt(Math.trunc(tensorScalar(value, 'int()')));
  throw typeError(`int() argument must be a string or a number, not '${typeName(value)}'`);
}

/** Python 3 round: banker's rounding to even, int result without ndigits. */
function pyRound(a: Args, site: CallSite): PyValue {
  const value = a.positional[0];
  const digits = a.positional[1] ?? a.keywords.get('ndigits') ?? null;
  if (isTensor(value)) {
    // round(tensor) calls Tensor.__round__: a non-differentiable round, as in torch.
    const factor = digits === null ? 1 : 10 ** toInt(digits);
    const round = (t: tf.Tensor) => (factor === 1 ? tf.round(t) : tf.div(tf.round(tf.mul(t, factor)), factor));
    const gradient = value.flavour === 'torch' ? 'zero' : 'cut';
    return unaryOp(site, 'round', roundingKind('round'), value, value.flavour, round, 'same', gradient);
  }
  const x = toFloat(value);
  const roundHalfEven = (v: number) => {
    const r = Math.round(v);
    return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  };
  if (digits === null) {
    if (typeof value === 'bigint') return value;
    return BigInt(roundHalfEven(x));
  }
  const factor = 10 ** toInt(digits);
  const rounded = roundHalfEven(x * factor) / factor;
  return typeof value === 'bigint' ? BigInt(Math.round(rounded)) : rounded;
}

function builtinSum(a: Args, site: CallSite): PyValue {
  let total: PyValue = a.positional[1] ?? a.keywords.get('start') ?? 0n;
  for (const item of iterate(a.positional[0], site)) total = binary('+', total, item, site);
  return total;
}

function builtinAbs(value: PyValue, site: CallSite): PyValue {
  if (isTensor(value)) return unaryOp(site, 'abs', unaryKind('abs'), value, value.flavour, (t) => tf.abs(t), 'same');
  if (typeof value === 'bigint') return value < 0n ? -value : value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'number') return Math.abs(value);
  throw typeError(`bad operand type for abs(): '${typeName(value)}'`);
}

function builtinIsinstance(value: PyValue, classinfo: PyValue): boolean {
  if (classinfo instanceof PyTuple) return classinfo.items.some((c) => builtinIsinstance(value, c));
  if (classinfo instanceof PyClass) {
    if (classinfo === OBJECT_CLASS) return true;
    if (value instanceof PyInstance) return value.cls.isSubclassOf(classinfo);
    const typeClass = TYPE_CLASSES.get(classinfo);
    if (typeClass) return typeClass(value);
    return false;
  }
  if (classinfo instanceof BuiltinFunction) {
    const check = TYPE_CHECKS.get(classinfo.name);
    if (check) return check(value);
  }
  if (classinfo instanceof PyOpaque) return false; // isinstance(x, np.ndarray) where the class is opaque
  throw typeError('isinstance() arg 2 must be a type or tuple of types');
}

/** The built-in type constructors double as classes for isinstance(). */
/** The built-in type constructors isinstance() and issubclass() accept as classes. */
const BUILTIN_TYPE_NAMES = new Set(['int', 'float', 'bool', 'str', 'list', 'tuple', 'dict', 'set', 'slice', 'type']);
const TYPE_CHECKS = new Map<string, (v: PyValue) => boolean>([
  ['int', (v) => typeof v === 'bigint' || typeof v === 'boolean'],
  ['float', (v) => typeof v === 'number'],
  ['bool', (v) => typeof v === 'boolean'],
  ['str', (v) => typeof v === 'string'],
  ['list', (v) => v instanceof PyList],
  ['tuple', (v) => v instanceof PyTuple],
  ['dict', (v) => v instanceof PyDict],
  ['set', (v) => v instanceof PySet],
  ['slice', (v) => v instanceof PySlice],
  ['type', (v) => v instanceof PyClass || (v instanceof BuiltinFunction && BUILTIN_TYPE_NAMES.has(v.name))],
]);

/** The exact class of a tensor, by framework (type(x) == torch.Tensor, type(a) is np.ndarray). */
export const TENSOR_TYPES = new Map<TensorValue['flavour'], PyClass>();

/** issubclass(cls, classinfo): classes by their MRO, the built-in type constructors by name. */
function builtinIssubclass(cls: PyValue, classinfo: PyValue): boolean {
  if (classinfo instanceof PyTuple) return classinfo.items.some((c) => builtinIssubclass(cls, c));
  const isType = (v: PyValue) =>
    v instanceof PyClass || (v instanceof BuiltinFunction && BUILTIN_TYPE_NAMES.has(v.name));
  if (!isType(cls)) throw typeError('issubclass() arg 1 must be a class');
  if (!isType(classinfo) && !(classinfo instanceof PyOpaque))
    throw typeError('issubclass() arg 2 must be a class, a tuple of classes, or a union');
  if (classinfo === OBJECT_CLASS || cls === classinfo) return true;
  if (cls instanceof PyClass && classinfo instanceof PyClass) return cls.isSubclassOf(classinfo);
  // bool is the one subclass among the built-in types
  return (
    cls instanceof BuiltinFunction &&
    cls.name === 'bool' &&
    classinfo instanceof BuiltinFunction &&
    classinfo.name === 'int'
  );
}

/** Framework tensor classes registered by the module tables (torch.Tensor, np.ndarray, tf.Tensor). */
export const TYPE_CLASSES = new Map<PyClass, (v: PyValue) => boolean>();

function zipIterators(a: Args, site: CallSite): PyIterator {
  const lists = a.positional.map((p) => [...iterate(p, site)]);
  const n = lists.length ? Math.min(...lists.map((l) => l.length)) : 0;
  let i = 0;
  return new PyIterator(() => {
    if (i >= n) return { done: true };
    const row = new PyTuple(lists.map((l) => l[i]));
    i++;
    return { done: false, value: row };
  });
}

/** The items of an iterable, for a new list, tuple or set (`what`: "a tuple"), checked against the limits. */
function listFrom(value: PyValue | undefined, site: CallSite, what: string): PyValue[] {
  if (value === undefined) return [];
  if (typeof value === 'string') site.rt.guard.growCollection(what, value.length); // before splitting it
  const items = [...iterate(value, site)];
  site.rt.guard.growCollection(what, items.length);
  return items;
}

// ------------------------------------------------------------------ the sandbox

const REFUSED_BUILTINS: Record<string, string> = {
  open: 'open() would read or write files',
  eval: 'eval() would run dynamic code',
  exec: 'exec() would run dynamic code',
  compile: 'compile() would build dynamic code',
  input: 'input() would read from the terminal',
  globals: 'globals() exposes the interpreter namespace',
  locals: 'locals() exposes the interpreter namespace',
  vars: 'vars() exposes the interpreter namespace',
  breakpoint: 'breakpoint() would start a debugger',
  exit: 'exit() would stop the process',
  quit: 'quit() would stop the process',
  memoryview: 'memoryview() accesses raw memory',
};

function refused(name: string, why: string): BuiltinFunction {
  return fn(name, () => {
    throw new InterpreterError(
      'sandbox',
      `sandbox: ${why}; Loss Lens never reads files, runs processes or evaluates dynamic code`,
    );
  });
}

// ------------------------------------------------------------------ the table

export const BUILTINS = new Map<string, PyValue>();

function define(name: string, impl: (args: Args, site: CallSite) => PyValue): void {
  BUILTINS.set(name, fn(name, impl));
}

define('print', () => null);
define('len', (a) => BigInt(length(a.positional[0])));
define('range', (a, site) => {
  const nums = a.positional.map((v) => toInt(v, 'range() argument'));
  const [start, stop, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  if (step === 0) throw valueError('range() arg 3 must not be zero');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  site.rt.guard.checkLength('range()', count);
  // A sequence, as Python's range is: reusable, len()-able, indexable and sliceable
  // (`range(len(shape))[1:-1]` picks the spatial axes in real losses).
  return new PyTuple(
    Array.from({ length: count }, (_, i) => BigInt(start + step * i)),
    'range',
  );
});
define('min', (a, site) => minMax('min', a, site));
define('max', (a, site) => minMax('max', a, site));
define('abs', (a, site) => builtinAbs(a.positional[0], site));
define('sum', builtinSum);
define('round', pyRound);
define('pow', (a, site) => binary('**', a.positional[0], a.positional[1], site));
define(
  'divmod',
  (a, site) =>
    new PyTuple([
      binary('//', a.positional[0], a.positional[1], site),
      binary('%', a.positional[0], a.positional[1], site),
    ]),
);
define('float', (a, site) => {
  const value = a.positional[0];
  if (value === undefined) return 0;
  if (isTensor(value)) {
    site.rt.recordConversion(site, 'float', value, 'scalar');
    return tensorScalar(value, 'float()');
  }
  return toFloat(value);
});
define('int', (a, site) => {
  const value = a.positional[0];
  if (value === undefined) return 0n;
  if (isTensor(value)) site.rt.recordConversion(site, 'int', value, 'scalar');
  return toPyInt(value, a.positional[1]);
});
define('bool', (a) => (a.positional.length ? truthy(a.positional[0]) : false));
define('str', (a) => (a.positional.length ? str(a.positional[0]) : ''));
define('repr', (a) => repr(a.positional[0]));
define('format', (a) => formatValue(a.positional[0], a.positional[1] === undefined ? '' : str(a.positional[1])));
define('list', (a, site) => new PyList(listFrom(a.positional[0], site, 'a list')));
define('tuple', (a, site) => new PyTuple(listFrom(a.positional[0], site, 'a tuple')));
define('set', (a, site) => makeSet(a.positional.length ? listFrom(a.positional[0], site, 'a set') : [], site));
define('dict', (a, site) => updateDict(new PyDict(), a, site));
define('zip', zipIterators);
define('enumerate', (a, site) => {
  const items = [...iterate(a.positional[0], site)];
  const start = toInt(a.positional[1] ?? a.keywords.get('start') ?? 0n);
  let i = 0;
  return new PyIterator(() =>
    i < items.length ? { done: false, value: new PyTuple([BigInt(start + i), items[i++]]) } : { done: true },
  );
});
define('reversed', (a, site) => new PyList(listFrom(a.positional[0], site, 'a list').reverse()));
define('sorted', (a, site) => {
  const items = listFrom(a.positional[0], site, 'a list');
  sortItems(items, a.keywords.get('key') ?? null, truthy(a.keywords.get('reverse') ?? false), site);
  return new PyList(items);
});
define('map', (a, site) => {
  const [func, ...iterables] = a.positional;
  const lists = iterables.map((p) => [...iterate(p, site)]);
  const n = Math.min(...lists.map((l) => l.length));
  return new PyList(
    Array.from({ length: n }, (_, i) =>
      site.rt.call(func, { positional: lists.map((l) => l[i]), keywords: new Map() }, site.range),
    ),
  );
});
define('filter', (a, site) => {
  const [func, iterable] = a.positional;
  return new PyList(
    [...iterate(iterable, site)].filter((item) =>
      truthy(func === null ? item : site.rt.call(func, { positional: [item], keywords: new Map() }, site.range)),
    ),
  );
});
define('any', (a, site) => [...iterate(a.positional[0], site)].some(truthy));
define('all', (a, site) => [...iterate(a.positional[0], site)].every(truthy));
define('isinstance', (a) => builtinIsinstance(a.positional[0], a.positional[1]));
define('issubclass', (a) => builtinIssubclass(a.positional[0], a.positional[1]));
define('callable', (a) => {
  const v = a.positional[0];
  return (
    v instanceof PyFunction ||
    v instanceof BuiltinFunction ||
    v instanceof BoundMethod ||
    v instanceof PyClass ||
    (v instanceof PyInstance && v.cls.lookup('__call__') !== undefined)
  );
});
define('hasattr', (a, site) => {
  try {
    return getattrImpl(a.positional[0], str(a.positional[1]), site) !== undefined;
  } catch (error) {
    if (error instanceof InterpreterError && (error.pyType === 'AttributeError' || error.kind === 'unsupported'))
      return false;
    throw error;
  }
});
define('getattr', (a, site) => {
  try {
    return getattrImpl(a.positional[0], str(a.positional[1]), site);
  } catch (error) {
    if (
      a.positional.length > 2 &&
      error instanceof InterpreterError &&
      (error.pyType === 'AttributeError' || error.kind === 'unsupported')
    )
      return a.positional[2];
    throw error;
  }
});
define('setattr', (a, site) => {
  setattrImpl(a.positional[0], str(a.positional[1]), a.positional[2], site);
  return null;
});
define('type', (a) => {
  const v = a.positional[0];
  if (v instanceof PyInstance) return v.cls;
  if (v instanceof PyClass) return BUILTINS.get('type')!;
  if (v instanceof TensorValue) return TENSOR_TYPES.get(v.flavour) ?? new PyOpaque(`type ${typeName(v)}`);
  return BUILTINS.get(typeName(v)) ?? new PyOpaque(`type ${typeName(v)}`);
});
define('id', (a) => BigInt(typeof a.positional[0] === 'object' && a.positional[0] !== null ? 1 : 0));
define('iter', (a, site) => {
  const items = [...iterate(a.positional[0], site)];
  let i = 0;
  return new PyIterator(() => (i < items.length ? { done: false, value: items[i++] } : { done: true }));
});
define('next', (a) => {
  const it = a.positional[0];
  if (!(it instanceof PyIterator)) throw typeError(`'${typeName(it)}' object is not an iterator`);
  const step = it.next();
  if (step.done) {
    if (a.positional.length > 1) return a.positional[1];
    throw stopIteration();
  }
  return step.value;
});
define('slice', (a) => {
  const p = a.positional;
  return p.length === 1 ? new PySlice(null, p[0], null) : new PySlice(p[0] ?? null, p[1] ?? null, p[2] ?? null);
});
define('hash', (a) => BigInt(str(a.positional[0]).length));
define('super', () => {
  throw runtimeError('super() used outside a method');
});
BUILTINS.set('object', OBJECT_CLASS);
BUILTINS.set('staticmethod', wrapperClass(STATICMETHOD));
BUILTINS.set('classmethod', wrapperClass(CLASSMETHOD));
BUILTINS.set(
  'property',
  fn('property', (a) => {
    const instance = new PyInstance(PROPERTY);
    const accessor = (i: number, name: string) => a.positional[i] ?? a.keywords.get(name) ?? null;
    instance.native = { fget: accessor(0, 'fget'), fset: accessor(1, 'fset'), fdel: accessor(2, 'fdel') };
    return instance;
  }),
);
for (const [name, cls] of exceptionClasses) BUILTINS.set(name, cls);
BUILTINS.set('NotImplemented', new PyOpaque('NotImplemented'));
BUILTINS.set('Ellipsis', ELLIPSIS);
for (const [name, why] of Object.entries(REFUSED_BUILTINS)) BUILTINS.set(name, refused(name, why));

// __import__ imports as an import statement does (frameworks, the project's modules, sandboxed or
// refused modules alike), raising ModuleNotFoundError when nothing provides the module.
define('__import__', (a, site) => {
  const [name, , , fromlist] = a.positional;
  if (typeof name !== 'string') throw typeError('__import__() argument 1 must be str');
  const level = a.keywords.get('level') ?? a.positional[4] ?? 0n;
  if (level !== 0n && level !== 0) throw typeError('__import__() with a relative level is not supported');
  const { root, leaf } = site.rt.importer!(name, site.range);
  const from = a.keywords.get('fromlist') ?? fromlist ?? null;
  return from !== null && truthy(from) ? leaf : root;
});

// Late imports (cycle: attributes → builtins only through these two functions).
import { getAttribute, setAttribute } from './attributes';
const getattrImpl = getAttribute;
const setattrImpl = setAttribute;
