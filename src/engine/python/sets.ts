// Python sets (PySet: a list of distinct items): construction, the methods loss code uses on them
// (label-value checks such as `set(np.unique(t)).issubset([0, 1])`) and the operators | & - ^.
// Membership is Python's equality, with one-element arrays (numpy scalars) equal to their value.
import type { CallSite } from './callsite';
import { keyError, typeError } from './errors';
import { iterate, pyEquals, repr, tensorScalar } from './protocols';
import { TensorValue } from './tensor';
import { type Args, BuiltinFunction, PyDict, PySet, type PyValue } from './values';

/** numpy scalars hash and compare as their value. */
const memberValue = (v: PyValue): PyValue =>
  v instanceof TensorValue && v.size === 1 ? tensorScalar(v, 'a set item') : v;

const sameMember = (a: PyValue, b: PyValue) => pyEquals(memberValue(a), memberValue(b));

export const setHas = (set: PySet, item: PyValue) => set.items.some((x) => sameMember(x, item));

/** A hash key for the members Python's equality compares by value (numbers, strings, None, bools). */
function primitiveKey(value: PyValue): string | undefined {
  const v = memberValue(value);
  const primitive = v === null || ['boolean', 'bigint', 'string'].includes(typeof v);
  return primitive || (typeof v === 'number' && !Number.isNaN(v)) ? PyDict.keyOf(v) : undefined;
}

/**
 * Membership among many items in linear time: numbers, strings, None and bools by hash, the rest
 * (tuples, instances, arrays) by equality. A quadratic scan froze on `set(range(10**6))`.
 */
class Members {
  private readonly keys = new Set<string>();
  private readonly others: PyValue[] = [];

  constructor(items: Iterable<PyValue> = []) {
    for (const item of items) this.add(item);
  }

  has(item: PyValue): boolean {
    const key = primitiveKey(item);
    return key === undefined ? this.others.some((x) => sameMember(x, item)) : this.keys.has(key);
  }

  /** Adds the item; false when it was there already. */
  add(item: PyValue): boolean {
    if (this.has(item)) return false;
    const key = primitiveKey(item);
    if (key === undefined) this.others.push(item);
    else this.keys.add(key);
    return true;
  }
}

/** Appends the items `into` lacks, each once (the first occurrence kept). */
function addDistinct(into: PyValue[], items: Iterable<PyValue>): void {
  const members = new Members(into);
  for (const item of items) if (members.add(item)) into.push(item);
}

/** A set of the items, each once (the first occurrence kept), checked against the collection limit. */
export function makeSet(items: Iterable<PyValue>, site?: CallSite): PySet {
  const out = new PySet([]);
  addDistinct(out.items, items);
  site?.rt.guard.growCollection('a set', out.items.length);
  return out;
}

const itemsOf = (value: PyValue, site: CallSite) => [...iterate(value, site)];

function operate(op: string, a: PySet, other: PyValue[]): PySet {
  const others = new Members(other);
  const inOther = (x: PyValue) => others.has(x);
  switch (op) {
    case '|':
      return makeSet([...a.items, ...other]);
    case '&':
      return makeSet(a.items.filter(inOther));
    case '-':
      return makeSet(a.items.filter((x) => !inOther(x)));
    default: {
      // '^'
      const mine = new Members(a.items);
      return makeSet([...a.items.filter((x) => !inOther(x)), ...other.filter((y) => !mine.has(y))]);
    }
  }
}

/** `a <= b` (subset), `a < b` (proper subset), `>=`, `>` for two sets; undefined for anything else. */
export function setComparison(op: string, a: PyValue, b: PyValue): boolean | undefined {
  if (!(a instanceof PySet) || !(b instanceof PySet)) return undefined;
  const within = (x: PySet, y: PySet) => x.items.every((item) => setHas(y, item));
  switch (op) {
    case '<=':
      return within(a, b);
    case '<':
      return within(a, b) && a.items.length < b.items.length;
    case '>=':
      return within(b, a);
    case '>':
      return within(b, a) && b.items.length < a.items.length;
  }
  return undefined;
}

/** `a | b`, `a & b`, `a - b`, `a ^ b` for two sets; undefined for anything else. */
export function setOperator(op: string, a: PyValue, b: PyValue): PyValue | undefined {
  if (!(a instanceof PySet) || !(b instanceof PySet) || !['|', '&', '-', '^'].includes(op)) return undefined;
  return operate(op, a, b.items);
}

const OPERATOR_METHODS: Record<string, string> = {
  union: '|',
  intersection: '&',
  difference: '-',
  symmetric_difference: '^',
};

export function setMethod(set: PySet, name: string): PyValue | undefined {
  const method = (impl: (args: Args, site: CallSite) => PyValue) => new BuiltinFunction(name, impl);
  const first = (args: Args) => {
    if (!args.positional.length) throw typeError(`${name}() takes exactly one argument (0 given)`);
    return args.positional[0];
  };
  if (name in OPERATOR_METHODS)
    return method((a, site) =>
      a.positional.reduce<PySet>((acc, other) => operate(OPERATOR_METHODS[name], acc, itemsOf(other, site)), set),
    );
  switch (name) {
    case 'issubset':
      return method((a, site) => {
        const others = new Members(itemsOf(first(a), site));
        return set.items.every((x) => others.has(x));
      });
    case 'issuperset':
      return method((a, site) => {
        const mine = new Members(set.items);
        return itemsOf(first(a), site).every((y) => mine.has(y));
      });
    case 'isdisjoint':
      return method((a, site) => {
        const mine = new Members(set.items);
        return !itemsOf(first(a), site).some((y) => mine.has(y));
      });
    case 'add':
      return method((a, site) => {
        site.rt.guard.growCollection('a set', set.items.length + 1, 1);
        if (!setHas(set, first(a))) set.items.push(first(a));
        return null;
      });
    case 'update':
      return method((a, site) => {
        const before = set.items.length;
        for (const other of a.positional) addDistinct(set.items, itemsOf(other, site));
        site.rt.guard.growCollection('a set', set.items.length, set.items.length - before);
        return null;
      });
    case 'discard':
    case 'remove':
      return method((a) => {
        const i = set.items.findIndex((x) => sameMember(x, first(a)));
        if (i >= 0) set.items.splice(i, 1);
        else if (name === 'remove') throw keyError(repr(first(a)));
        return null;
      });
    case 'pop':
      return method(() => {
        if (!set.items.length) throw keyError('pop from an empty set');
        return set.items.shift()!;
      });
    case 'copy':
      return method(() => new PySet([...set.items]));
    case 'clear':
      return method(() => {
        set.items.length = 0;
        return null;
      });
  }
  return undefined;
}
