// Python operators on non-tensor values (ints, floats, strings, lists, tuples), deferring to the
// tensor ops as soon as a tensor is involved.
import { setComparison, setOperator } from './sets';
import type { CallSite } from './callsite';
import { InterpreterError, typeError, zeroDivisionError } from './errors';
import { binaryOp, type BinaryOperator, invert, negate } from './ops/elementwise';
import { isNumber, isTensor, opaqueError, pyCompare, pyEquals, iterate, toFloat, toInt, repr, str } from './protocols';
import {
  BoundMethod,
  BuiltinFunction,
  PyDict,
  PyFunction,
  PyInstance,
  PyList,
  PyOpaque,
  PyTuple,
  type PyValue,
  typeName,
} from './values';

/** Python ints are exact (bigints); loss code never needs more bits than this. */
const MAX_INT_BITS = 4096n;

/** Bits of |x| (cheap at the sizes MAX_INT_BITS allows). */
const bitLength = (x: bigint): number => (x === 0n ? 0 : (x < 0n ? -x : x).toString(2).length);

/** An int as a limit message names it: its digits when short, its size when not. */
const shown = (x: bigint) => (bitLength(x) > 64 ? `a ${bitLength(x)}-bit int` : String(x));

const tooLarge = (what: string) =>
  new InterpreterError('limit', `limit: ${what} is too large an integer (more than ${MAX_INT_BITS} bits)`);

const asBig = (v: bigint | boolean): bigint => (typeof v === 'boolean' ? (v ? 1n : 0n) : v);

function floorMod(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && m < 0 !== b < 0 ? m + b : m;
}

function numericBinary(op: string, a: number | bigint | boolean, b: number | bigint | boolean): PyValue {
  const bothInt = typeof a !== 'number' && typeof b !== 'number';
  if (bothInt) {
    const x = asBig(a);
    const y = asBig(b);
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        // Checked before: repeated squaring would otherwise grow an int past memory in a few steps.
        if (bitLength(x) + bitLength(y) > MAX_INT_BITS) throw tooLarge(`${shown(x)} * ${shown(y)}`);
        return x * y;
      case '/':
        if (y === 0n) throw zeroDivisionError('division by zero');
        return Number(x) / Number(y);
      case '//': {
        if (y === 0n) throw zeroDivisionError('integer division or modulo by zero');
        const q = x / y;
        return x % y !== 0n && x < 0n !== y < 0n ? q - 1n : q;
      }
      case '%': {
        if (y === 0n) throw zeroDivisionError('integer division or modulo by zero');
        const m = x % y;
        return m !== 0n && m < 0n !== y < 0n ? m + y : m;
      }
      case '**': {
        if (y < 0n) return Number(x) ** Number(y);
        // At least y·(bits − 1) + 1 bits, at most twice that: refused before when surely too large, else after.
        if (BigInt(Math.max(bitLength(x) - 1, 0)) * y + 1n > MAX_INT_BITS) throw tooLarge(`${shown(x)} ** ${shown(y)}`);
        const power = x ** y;
        if (bitLength(power) > MAX_INT_BITS) throw tooLarge(`${shown(x)} ** ${shown(y)}`);
        return power;
      }
      case '&':
        return typeof a === 'boolean' && typeof b === 'boolean' ? a && b : x & y;
      case '|':
        return typeof a === 'boolean' && typeof b === 'boolean' ? a || b : x | y;
      case '^':
        return typeof a === 'boolean' && typeof b === 'boolean' ? a !== b : x ^ y;
      case '<<':
        if (BigInt(bitLength(x)) + y > MAX_INT_BITS) throw tooLarge(`${shown(x)} << ${shown(y)}`);
        return x << y;
      case '>>':
        return x >> y;
    }
  }
  const x = toFloat(a);
  const y = toFloat(b);
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      if (y === 0) throw zeroDivisionError('float division by zero');
      return x / y;
    case '//':
      if (y === 0) throw zeroDivisionError('float floor division by zero');
      return Math.floor(x / y);
    case '%':
      if (y === 0) throw zeroDivisionError('float modulo');
      return floorMod(x, y);
    case '**':
      if (x === 0 && y < 0) throw zeroDivisionError('0.0 cannot be raised to a negative power');
      return x ** y;
  }
  const typeName = (v: number | bigint | boolean) => (typeof v === 'number' ? 'float' : 'int');
  throw typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

/** `seq * n` for lists and tuples (`what`: "a list"), checked before it is built. */
function repeat(items: readonly PyValue[], times: PyValue, site: CallSite, what: string): PyValue[] {
  const n = Math.max(0, toInt(times, 'repeat count'));
  site.rt.guard.growCollection(what, items.length * n);
  const out: PyValue[] = [];
  for (let i = 0; i < n; i++) out.push(...items);
  return out;
}

/** `text * n`, checked before it is built. */
function repeatText(text: string, times: PyValue, site: CallSite): string {
  const n = Math.max(0, toInt(times, 'repeat count'));
  site.rt.guard.growString(text.length * n);
  return text.repeat(n);
}

/** printf-style `'%d' % x` formatting, the subset loss code uses in messages. */
function percentFormat(format: string, value: PyValue, site: CallSite): string {
  const values = value instanceof PyTuple ? [...value.items] : [value];
  return format.replace(
    /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdifegrx%])/g,
    (_m, _flags: string, width: string | undefined, precision: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      const v = values.shift() ?? null;
      let text: string;
      switch (conv) {
        case 's':
          text = str(v);
          break;
        case 'r':
          text = repr(v);
          break;
        case 'd':
        case 'i':
          text = String(Math.trunc(toFloat(v)));
          break;
        case 'f':
          text = toFloat(v).toFixed(precision ? Number(precision) : 6);
          break;
        case 'e':
          text = toFloat(v)
            .toExponential(precision ? Number(precision) : 6)
            .replace(/e([+-])(\d)$/, 'e$10$2');
          break;
        case 'g':
          text = String(Number(toFloat(v).toPrecision(precision ? Number(precision) : 6)));
          break;
        case 'x':
          text = Math.trunc(toFloat(v)).toString(16);
          break;
        default:
          text = str(v);
      }
      if (width) site.rt.guard.growString(Math.max(Number(width), text.length)); // padded before any later check
      return width ? text.padStart(Number(width)) : text;
    },
  );
}

export function binary(op: string, a: PyValue, b: PyValue, site: CallSite): PyValue {
  if (isTensor(a) || isTensor(b)) return binaryOp(site, op as BinaryOperator, a, b);
  if (isNumber(a) && isNumber(b)) return numericBinary(op, a, b);
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') {
      site.rt.guard.growString(a.length + b.length, false); // V8 joins the two without copying them
      return a + b;
    }
    if (a instanceof PyList && b instanceof PyList) {
      site.rt.guard.growCollection('a list', a.items.length + b.items.length);
      return new PyList([...a.items, ...b.items]);
    }
    if (a instanceof PyTuple && b instanceof PyTuple) {
      site.rt.guard.growCollection('a tuple', a.items.length + b.items.length);
      return new PyTuple([...a.items, ...b.items]);
    }
  }
  if (op === '*') {
    if (typeof a === 'string' && isNumber(b)) return repeatText(a, b, site);
    if (typeof b === 'string' && isNumber(a)) return repeatText(b, a, site);
    if (a instanceof PyList && isNumber(b)) return new PyList(repeat(a.items, b, site, 'a list'));
    if (b instanceof PyList && isNumber(a)) return new PyList(repeat(b.items, a, site, 'a list'));
    if (a instanceof PyTuple && isNumber(b)) return new PyTuple(repeat(a.items, b, site, 'a tuple'));
    if (b instanceof PyTuple && isNumber(a)) return new PyTuple(repeat(b.items, a, site, 'a tuple'));
  }
  if (op === '%' && typeof a === 'string') {
    const formatted = percentFormat(a, b, site);
    site.rt.guard.growString(formatted.length);
    return formatted;
  }
  if (op === '|' && a instanceof PyDict && b instanceof PyDict) {
    site.rt.guard.growCollection('a dict', a.entries.size + b.entries.size);
    const out = new PyDict();
    for (const [k, v] of a.entries.values()) out.set(k, v);
    for (const [k, v] of b.entries.values()) out.set(k, v);
    return out;
  }
  if (a instanceof PyInstance || b instanceof PyInstance) {
    const result = overloadedOperator(op, a, b, site);
    if (result !== undefined) return result;
  }
  const ofSets = setOperator(op, a, b);
  if (ofSets !== undefined) return ofSets;
  if (a instanceof PyOpaque) throw opaqueError(a);
  if (b instanceof PyOpaque) throw opaqueError(b);
  throw typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

const DUNDER: Record<string, string> = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'truediv',
  '//': 'floordiv',
  '%': 'mod',
  '**': 'pow',
  '@': 'matmul',
  '&': 'and',
  '|': 'or',
  '^': 'xor',
};

const notImplemented = (value: PyValue) => value instanceof PyOpaque && value.description === 'NotImplemented';

/** `a op b` through a class's __op__ or the other operand's __rop__ (loss objects that add up). */
function overloadedOperator(op: string, a: PyValue, b: PyValue, site: CallSite): PyValue | undefined {
  const name = DUNDER[op];
  if (!name) return undefined;
  const attempts: [PyValue, string, PyValue][] = [
    [a, `__${name}__`, b],
    [b, `__r${name}__`, a],
  ];
  for (const [self, method, other] of attempts) {
    const fn = self instanceof PyInstance ? self.cls.lookup(method) : undefined;
    if (!(fn instanceof PyFunction || fn instanceof BuiltinFunction)) continue;
    const result = site.rt.call(
      new BoundMethod(self as PyInstance, fn),
      { positional: [other], keywords: new Map() },
      site.range,
    );
    if (!notImplemented(result)) return result;
  }
  return undefined;
}

export function unary(op: string, value: PyValue, site: CallSite): PyValue {
  if (isTensor(value)) {
    if (op === '-') return negate(site, value);
    if (op === '+') return value;
    if (op === '~') return invert(site, value);
  }
  if (op === '-') {
    if (typeof value === 'number') return -value;
    if (typeof value === 'bigint' || typeof value === 'boolean') return -asBig(value);
  }
  if (op === '+' && isNumber(value)) return typeof value === 'boolean' ? asBig(value) : value;
  if (op === '~' && (typeof value === 'bigint' || typeof value === 'boolean')) return ~asBig(value);
  throw typeError(`bad operand type for unary ${op}: '${typeName(value)}'`);
}

function contains(container: PyValue, item: PyValue, site: CallSite): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string')
      throw typeError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (container instanceof PyDict) return container.has(item);
  for (const element of iterate(container, site)) if (pyEquals(element, item)) return true;
  return false;
}

/** One comparison of a chain (`a < b`, `x in y`, `p is None`). */
export function compare(op: string, a: PyValue, b: PyValue, site: CallSite): PyValue {
  switch (op) {
    case 'is':
      return a === b || (a === null && b === null);
    case 'is not':
      return !(a === b || (a === null && b === null));
    case 'in':
      return contains(b, a, site);
    case 'not in':
      return !contains(b, a, site);
  }
  if (isTensor(a) || isTensor(b)) {
    if ((op === '==' || op === '!=') && (a === null || b === null)) return op === '!=';
    return binaryOp(site, op as BinaryOperator, a, b);
  }
  const ofSets = setComparison(op, a, b);
  if (ofSets !== undefined) return ofSets;
  switch (op) {
    case '==':
      return pyEquals(a, b);
    case '!=':
    case '<>':
      return !pyEquals(a, b);
    case '<':
      return pyCompare(a, b) < 0;
    case '<=':
      return pyCompare(a, b) <= 0;
    case '>':
      return pyCompare(a, b) > 0;
    case '>=':
      return pyCompare(a, b) >= 0;
  }
  throw typeError(`unknown comparison ${op}`);
}
