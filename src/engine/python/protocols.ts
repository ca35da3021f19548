// Python's value protocols for the interpreter: truth, iteration, equality, str/repr, and the
// conversions native functions need (to int, to float, to an axis list).
import type { CallSite } from './callsite';
import { InterpreterError, indexError, typeError, valueError } from './errors';
import { TensorValue } from './tensor';
import {
  BoundMethod,
  BuiltinFunction,
  PyClass,
  PyDict,
  PyEllipsis,
  PyFunction,
  PyInstance,
  PyIterator,
  PyList,
  PySet,
  PyModule,
  PyOpaque,
  PySlice,
  PyTuple,
  type PyValue,
  typeName,
  enumMemberOf,
  mixinValue,
} from './values';

export function isTensor(value: PyValue): value is TensorValue {
  return value instanceof TensorValue;
}

export function isNumber(value: PyValue): value is number | bigint | boolean {
  return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean';
}

/** Reads a scalar tensor's value (a framework would sync here too: `if tensor:` / `float(t)`). */
export function tensorScalar(value: TensorValue, what: string): number {
  if (value.size !== 1) {
    throw valueError(
      `${what} of a tensor with ${value.size} elements is ambiguous (shape [${value.shape.join(', ')}])`,
    );
  }
  return value.tensor.dataSync()[0] as number;
}

export function truthy(value: PyValue): boolean {
  if (value === null) return false;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'bigint':
      return value !== 0n;
    case 'number':
      return value !== 0;
    case 'string':
      return value.length > 0;
  }
  if (value instanceof PyList || value instanceof PyTuple) return value.items.length > 0;
  if (value instanceof PyDict) return value.entries.size > 0;
  if (value instanceof TensorValue) return tensorScalar(value, 'the truth value') !== 0;
  if (value instanceof PyOpaque) throw opaqueError(value);
  return true;
}

export function opaqueError(value: PyOpaque): InterpreterError {
  if (value.refused) return new InterpreterError('sandbox', `sandbox: ${value.refused}; not executed`);
  if (value.unresolved) {
    const { module, line, file } = value.unresolved;
    const where = `${file ? `${file}, ` : ''}line ${line}`;
    return new InterpreterError(
      'unsupported',
      `unresolved import: ${value.description} comes from '${module}' (${where}), which is not installed or not ` +
        'found on the project paths (--path, lossLens.extraPaths, a virtual environment), and its value reaches ' +
        'the loss here',
    );
  }
  return new InterpreterError('unsupported', `unsupported: ${value.description} is not interpreted`);
}

/** A Python number as a JS number (bools and ints included); tensors of one element are read. */
export function toFloat(value: PyValue, what = 'value'): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof TensorValue) return tensorScalar(value, `float() of ${what}`);
  if (typeof value === 'string') {
    const parsed = Number(value.trim().replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'));
    if (Number.isNaN(parsed) && value.trim().toLowerCase() !== 'nan')
      throw valueError(`could not convert string to float: '${value}'`);
    return parsed;
  }
  throw typeError(`${what} must be a real number, not ${typeName(value)}`);
}

/** An integer argument (index, axis, size); floats are refused as Python refuses them. */
export function toInt(value: PyValue, what = 'value'): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value; // lenient: frameworks accept 1.0 in many places
    throw typeError(`${what} must be an integer, not float`);
  }
  if (value instanceof TensorValue && value.size === 1 && value.dtype !== 'float32' && value.dtype !== 'float64') {
    return tensorScalar(value, what);
  }
  throw typeError(`${what} must be an integer, not ${typeName(value)}`);
}

/** None → undefined; an int → [int]; a list/tuple of ints → number[]. */
export function toAxes(value: PyValue | undefined, what = 'axis'): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof PyList || value instanceof PyTuple) return value.items.map((v) => toInt(v, what));
  return [toInt(value, what)];
}

export function toShape(value: PyValue, what = 'shape'): number[] {
  if (value instanceof PyList || value instanceof PyTuple) return value.items.map((v) => toInt(v, what));
  if (value instanceof TensorValue) return Array.from(value.tensor.dataSync(), Number);
  return [toInt(value, what)];
}

/** Iterates any iterable Python value. */
export function iterate(value: PyValue, site?: CallSite): Iterable<PyValue> {
  // What iterates a whole container natively (sum, max, in, join, list()) counts its items as work.
  if (value instanceof PyList || value instanceof PyTuple) {
    site?.rt.guard.work(value.items.length);
    return value instanceof PyList ? [...value.items] : value.items;
  }
  if (typeof value === 'string') {
    site?.rt.guard.work(value.length);
    return [...value];
  }
  if (value instanceof PyDict) return value.keys();
  if (value instanceof PyClass && value.lookup('__members__') instanceof PyDict)
    return [...(value.lookup('__members__') as PyDict).values()]; // an enum class: its members
  if (value instanceof PyIterator) {
    return {
      [Symbol.iterator]: () => ({
        next: () => {
          site?.rt.guard.tick();
          const step = value.next();
          return step.done ? { done: true, value: undefined } : { done: false, value: step.value };
        },
      }),
    };
  }
  if (value instanceof TensorValue) {
    if (value.rank === 0) throw typeError('iteration over a 0-d tensor');
    if (!site) throw typeError('cannot iterate a tensor here');
    const count = value.shape[0];
    const rt = site.rt;
    const items: PyValue[] = [];
    const rowShape = value.shape.slice(1);
    for (let i = 0; i < count; i++) {
      // slice, not gather: gather's gradient needs a kernel the wasm backend lacks
      const [from, size] = [
        [i, ...rowShape.map(() => 0)],
        [1, ...rowShape],
      ];
      items.push(
        rt.apply(site, 'getitem', [value], ([t]) => t.slice(from, size).reshape(rowShape), {
          kind: { category: 'indexing', method: 'subscript' },
          dtype: value.dtype,
        }),
      );
    }
    return items;
  }
  if (value instanceof PyOpaque) throw opaqueError(value);
  throw typeError(`'${typeName(value)}' object is not iterable`);
}

export function pyEquals(a: PyValue, b: PyValue): boolean {
  if (a === b) return true;
  const [mixinA, mixinB] = [mixinValue(a), mixinValue(b)];
  if (mixinA !== undefined || mixinB !== undefined) return pyEquals(mixinA ?? a, mixinB ?? b);
  if (isNumber(a) && isNumber(b))
    return toFloat(a) === toFloat(b) && !(typeof a === 'bigint' && typeof b === 'bigint' && a !== b);
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a instanceof PySet || b instanceof PySet) {
    // Order does not matter; items are distinct, so equal sizes and every item of one in the other.
    if (!(a instanceof PySet && b instanceof PySet) || a.items.length !== b.items.length) return false;
    return a.items.every((x) => b.items.some((y) => pyEquals(x, y)));
  }
  if ((a instanceof PyList && b instanceof PyList) || (a instanceof PyTuple && b instanceof PyTuple)) {
    return a.items.length === b.items.length && a.items.every((x, i) => pyEquals(x, b.items[i]));
  }
  if (a instanceof PyDict && b instanceof PyDict) {
    return (
      a.entries.size === b.entries.size &&
      [...a.entries.entries()].every(([k, [, v]]) => b.entries.has(k) && pyEquals(v, b.entries.get(k)![1]))
    );
  }
  if (a instanceof BoundMethod && b instanceof BoundMethod) return a.self === b.self && a.func === b.func;
  return false;
}

export function pyCompare(a: PyValue, b: PyValue): number {
  // one-element tensors (numpy scalars, 0-d tensors) order as their values, as `<` then bool() does
  if ((a instanceof TensorValue && a.size === 1) || (b instanceof TensorValue && b.size === 1)) {
    const scalar = (v: PyValue) => (v instanceof TensorValue && v.size === 1 ? tensorScalar(v, 'the truth value') : v);
    if (isNumber(scalar(a)) && isNumber(scalar(b))) return pyCompare(scalar(a), scalar(b));
  }
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    const x = toFloat(a);
    const y = toFloat(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if ((a instanceof PyList && b instanceof PyList) || (a instanceof PyTuple && b instanceof PyTuple)) {
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      if (!pyEquals(a.items[i], b.items[i])) return pyCompare(a.items[i], b.items[i]);
    }
    return a.items.length - b.items.length;
  }
  // A value from an import nothing resolves says so, not that it cannot be ordered.
  if (a instanceof PyOpaque) throw opaqueError(a);
  if (b instanceof PyOpaque) throw opaqueError(b);
  throw typeError(`'<' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

function floatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1);
  const text = String(value);
  return text.includes('e') ? text.replace(/e([+-])(\d)$/, 'e$10$2') : text;
}

/** The containers being printed: one met again inside itself prints as `[...]`, as CPython's Py_ReprEnter does. */
const printing = new Set<PyList | PyDict>();

function reprOnce(container: PyList | PyDict, again: string, render: () => string): string {
  if (printing.has(container)) return again;
  printing.add(container);
  try {
    return render();
  } finally {
    printing.delete(container);
  }
}

export function repr(value: PyValue): string {
  if (value === null) return 'None';
  switch (typeof value) {
    case 'boolean':
      return value ? 'True' : 'False';
    case 'bigint':
      return value.toString();
    case 'number':
      return floatRepr(value);
    case 'string':
      return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  }
  if (value instanceof PyList) return reprOnce(value, '[...]', () => `[${value.items.map(repr).join(', ')}]`);
  if (value instanceof PyTuple) {
    const inner = value.items.map(repr).join(', ');
    if (value.typeName === 'torch.Size') return `torch.Size([${inner}])`;
    if (value.typeName === 'TensorShape') return `(${inner})`;
    return value.items.length === 1 ? `(${inner},)` : `(${inner})`;
  }
  if (value instanceof PyDict)
    return reprOnce(value, '{...}', () => {
      return `{${[...value.entries.values()].map(([k, v]) => `${repr(k)}: ${repr(v)}`).join(', ')}}`;
    });
  if (value instanceof PySlice) return `slice(${repr(value.start)}, ${repr(value.stop)}, ${repr(value.step)})`;
  if (value instanceof PyEllipsis) return 'Ellipsis';
  if (value instanceof PyFunction) return `<function ${value.name}>`;
  if (value instanceof BuiltinFunction) return `<built-in function ${value.name}>`;
  if (value instanceof BoundMethod) return `<bound method>`;
  if (value instanceof PyClass) return `<class '${value.qualifiedName ?? value.name}'>`;
  const member = enumMemberOf(value);
  if (member) return `<${(value as PyInstance).cls.name}.${member.name}: ${repr(member.value)}>`;
  if (value instanceof PyInstance) {
    const message = value.attrs.get('args');
    if (message instanceof PyTuple && value.cls.lookup('__is_exception__'))
      return `${value.cls.name}(${message.items.map(repr).join(', ')})`;
    return `<${value.cls.name} object>`;
  }
  if (value instanceof PyModule) return `<module '${value.name}'>`;
  if (value instanceof TensorValue) return tensorRepr(value);
  if (value instanceof PyOpaque) return `<${value.description}>`;
  return `<${typeName(value)}>`;
}

export function str(value: PyValue): string {
  if (typeof value === 'string') return value;
  const member = enumMemberOf(value);
  if (member) return member.mixin === 'str' ? String(member.value) : `${(value as PyInstance).cls.name}.${member.name}`;
  if (value instanceof PyInstance && value.cls.lookup('__is_exception__')) {
    const argsTuple = value.attrs.get('args');
    // Python: str(AssertionError()) is '' (a bare `raise AssertionError` prints the type alone).
    if (argsTuple instanceof PyTuple) {
      const { items } = argsTuple;
      return items.length === 0 ? '' : items.length === 1 ? str(items[0]) : repr(argsTuple);
    }
  }
  return repr(value);
}

function tensorRepr(value: TensorValue): string {
  const data =
    value.size <= 16
      ? Array.from(value.tensor.dataSync() as ArrayLike<number>, (x) =>
          value.dtype === 'bool' ? (x ? 'True' : 'False') : String(Number(x.toPrecision(4))),
        )
      : undefined;
  const body = data ? `[${data.join(', ')}]` : `<${value.size} elements>`;
  return `tensor(${body}, shape=[${value.shape.join(', ')}], dtype=${value.dtype})`;
}

export function length(value: PyValue): number {
  if (typeof value === 'string') return value.length;
  if (value instanceof PyList || value instanceof PyTuple) return value.items.length;
  if (value instanceof PyDict) return value.entries.size;
  if (value instanceof TensorValue) {
    if (value.rank === 0) throw typeError('len() of a 0-d tensor');
    return value.shape[0];
  }
  if (value instanceof PyOpaque) throw opaqueError(value);
  throw typeError(`object of type '${typeName(value)}' has no len()`);
}

/** Normalises a possibly negative index against a length, raising IndexError when out of range. */
export function normaliseIndex(index: number, size: number, what = 'index'): number {
  const i = index < 0 ? index + size : index;
  if (i < 0 || i >= size) throw indexError(`${what} ${index} is out of range for size ${size}`);
  return i;
}

/** Python slice semantics: start, stop, step resolved against a length. */
export function resolveSlice(
  slice: PySlice,
  size: number,
): { start: number; stop: number; step: number; count: number } {
  const step = slice.step === null ? 1 : toInt(slice.step, 'slice step');
  if (step === 0) throw valueError('slice step cannot be zero');
  const clamp = (v: PyValue, defaultValue: number, low: number, high: number) => {
    if (v === null) return defaultValue;
    let i = toInt(v, 'slice index');
    if (i < 0) i += size;
    return Math.min(Math.max(i, low), high);
  };
  const start = step > 0 ? clamp(slice.start, 0, 0, size) : clamp(slice.start, size - 1, -1, size - 1);
  const stop = step > 0 ? clamp(slice.stop, size, 0, size) : clamp(slice.stop, -1, -1, size - 1);
  const count =
    step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
  return { start, stop, step, count };
}

export function sliceIndices(slice: PySlice, size: number): number[] {
  const { start, step, count } = resolveSlice(slice, size);
  return Array.from({ length: count }, (_, k) => start + k * step);
}
