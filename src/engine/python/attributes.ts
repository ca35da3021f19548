// Attribute access: modules, instances and classes (with bound methods, super, properties),
// tensor attributes by framework flavour, and the methods of Python's built-in containers.
import { setMethod } from './sets';
import type { CallSite } from './callsite';
import { InterpreterError, attributeError, indexError, keyError, typeError, unsupported, valueError } from './errors';
import { iterate, length, opaqueError, pyCompare, pyEquals, repr, str, toInt } from './protocols';
import { type Flavour, TensorValue } from './tensor';
import {
  type Args,
  BoundMethod,
  BuiltinFunction,
  PyClass,
  PyDict,
  PyFunction,
  PyInstance,
  PyList,
  PySet,
  PyModule,
  PyOpaque,
  PySuper,
  PyTuple,
  type PyValue,
  typeName,
} from './values';
import { bindArgs } from './signature';
import { recordLegacyApi } from './legacyApi';
import { isFrozen } from './frozen';

export type TensorAttribute =
  | { kind: 'property'; get: (self: TensorValue, site: CallSite) => PyValue }
  | { kind: 'method'; call: (self: TensorValue, args: Args, site: CallSite) => PyValue };

const tensorAttributes: Record<Flavour, Map<string, TensorAttribute>> = {
  torch: new Map(),
  tf: new Map(),
  numpy: new Map(),
  theano: new Map(),
};

export function registerTensorAttributes(flavour: Flavour, entries: Record<string, TensorAttribute>): void {
  for (const [name, attribute] of Object.entries(entries)) tensorAttributes[flavour].set(name, attribute);
}

type TensorSetter = (self: TensorValue, value: PyValue, site: CallSite) => void;
const tensorSetters: Record<Flavour, Map<string, TensorSetter>> = {
  torch: new Map(),
  tf: new Map(),
  numpy: new Map(),
  theano: new Map(),
};

/** An assignable tensor attribute (torch's `x.requires_grad = False`). */
export function registerTensorSetter(flavour: Flavour, name: string, setter: TensorSetter): void {
  tensorSetters[flavour].set(name, setter);
}

export const tensorMethod = (call: (self: TensorValue, args: Args, site: CallSite) => PyValue): TensorAttribute => ({
  kind: 'method',
  call,
});
export const tensorProperty = (get: (self: TensorValue, site: CallSite) => PyValue): TensorAttribute => ({
  kind: 'property',
  get,
});

/** Marker objects made by @staticmethod, @classmethod and @property. */
export const STATICMETHOD = new PyClass(
  'staticmethod',
  [],
  new Map<string, PyValue>([
    // a staticmethod object is callable itself (Python 3.10+): decorators stacked on it call it
    [
      '__call__',
      new BuiltinFunction('staticmethod.__call__', (args, site) => {
        const [self, ...rest] = args.positional;
        return site.rt.call((self as PyInstance).native as PyValue, { ...args, positional: rest }, site.range);
      }),
    ],
  ]),
);
export const CLASSMETHOD = new PyClass('classmethod', [], new Map());
/** A property's accessors (the instance's `native`): fget, fset, fdel, each a callable or None. */
export interface PropertyAccessors {
  fget: PyValue;
  fset: PyValue;
  fdel: PyValue;
}

/** `prop.setter(f)` and friends: a new property with one accessor replaced, as Python's property does. */
const withAccessor = (which: keyof PropertyAccessors) =>
  new BuiltinFunction(`property.${which.slice(1)}ter`, (a) => {
    const [self, fn] = a.positional;
    const copy = new PyInstance(PROPERTY);
    copy.native = { ...((self as PyInstance).native as PropertyAccessors), [which]: fn ?? null };
    return copy;
  });

export const PROPERTY = new PyClass('property', [], new Map());
PROPERTY.attrs.set('getter', withAccessor('fget'));
PROPERTY.attrs.set('setter', withAccessor('fset'));
PROPERTY.attrs.set('deleter', withAccessor('fdel'));

function noAttribute(owner: string, name: string): InterpreterError {
  return attributeError(`'${owner}' object has no attribute '${name}'`);
}

function bindClassAttribute(value: PyValue, self: PyValue, cls: PyClass, site: CallSite): PyValue {
  if (value instanceof PyFunction || value instanceof BuiltinFunction)
    return self === undefined ? value : new BoundMethod(self, value);
  if (value instanceof PyInstance && value.cls === STATICMETHOD) return value.native as PyValue;
  if (value instanceof PyInstance && value.cls === CLASSMETHOD) return new BoundMethod(cls, value.native as PyFunction);
  if (value instanceof PyInstance && value.cls === PROPERTY) {
    const { fget } = value.native as PropertyAccessors;
    if (fget === null) throw attributeError('unreadable attribute');
    return site.rt.call(fget, { positional: [self], keywords: new Map() }, site.range);
  }
  return value;
}

export function getAttribute(object: PyValue, name: string, site: CallSite): PyValue {
  if (object instanceof TensorValue) return getTensorAttribute(object, name, site);
  if (object instanceof PyModule) {
    const value = object.attrs.has(name) ? object.attrs.get(name) : object.fallback?.(name);
    if (value === undefined) throw unsupported(`${object.name}.${name}`);
    return value;
  }
  if (object instanceof PyInstance) {
    if (object.attrs.has(name)) return object.attrs.get(name)!;
    const value = object.cls.lookup(name);
    if (value !== undefined) return bindClassAttribute(value, object, object.cls, site);
    if (name === '__class__') return object.cls;
    if (name === '__dict__') {
      const dict = new PyDict();
      for (const [k, v] of object.attrs) dict.set(k, v);
      return dict;
    }
    const fallback = object.cls.lookup('__getattr__');
    if (fallback !== undefined)
      return site.rt.call(
        bindClassAttribute(fallback, object, object.cls, site),
        { positional: [name], keywords: new Map() },
        site.range,
      );
    throw noAttribute(object.cls.name, name);
  }
  if (object instanceof PyClass) {
    const value = object.lookup(name);
    if (value !== undefined) {
      if (value instanceof PyInstance && (value.cls === STATICMETHOD || value.cls === CLASSMETHOD))
        return bindClassAttribute(value, object, object, site);
      return value;
    }
    if (name === '__name__') return object.name;
    throw attributeError(`type object '${object.name}' has no attribute '${name}'`);
  }
  if (object instanceof PySuper) {
    const cls =
      object.self instanceof PyInstance ? object.self.cls : object.self instanceof PyClass ? object.self : undefined;
    if (!cls) throw typeError('super(): bad self argument');
    const mro = cls.mro();
    const start = mro.indexOf(object.startAfter);
    for (const candidate of mro.slice(start + 1)) {
      if (candidate.attrs.has(name)) return bindClassAttribute(candidate.attrs.get(name)!, object.self, cls, site);
    }
    throw attributeError(`'super' object has no attribute '${name}'`);
  }
  if (object instanceof PyOpaque) throw opaqueError(object);
  if (object instanceof PyFunction || object instanceof BuiltinFunction) {
    if (object instanceof PyFunction && object.attrs.has(name)) return object.attrs.get(name)!;
    if (name === '__name__' || name === '__qualname__') return object.name;
    if (object instanceof PyFunction && name === '__doc__')
      return object.body.kind === 'block' ? (object.body.def.docstring ?? null) : null;
    throw noAttribute('function', name);
  }
  const method = builtinMethod(object, name, site);
  if (method) return method;
  throw noAttribute(typeName(object), name);
}

function getTensorAttribute(tensor: TensorValue, name: string, site: CallSite): PyValue {
  const attribute = tensorAttributes[tensor.flavour].get(name);
  if (!attribute) {
    const flavourName = { torch: 'torch.Tensor', tf: 'tf.Tensor', numpy: 'numpy.ndarray', theano: 'theano tensor' }[
      tensor.flavour
    ];
    throw unsupported(`${flavourName}.${name}`);
  }
  if (attribute.kind === 'property') return attribute.get(tensor, site);
  return new BuiltinFunction(name, (args, callSite) => attribute.call(tensor, args, callSite));
}

export function setAttribute(object: PyValue, name: string, value: PyValue, site: CallSite): void {
  if (object instanceof TensorValue) {
    const setter = tensorSetters[object.flavour].get(name);
    if (setter) return setter(object, value, site);
    if (tensorAttributes[object.flavour].has(name))
      throw attributeError(`attribute '${name}' of tensors is not writable`);
    throw noAttribute(typeName(object), name);
  }
  if (object instanceof PyInstance) {
    if (isFrozen(object)) throw attributeError(`attribute '${name}' of '${typeName(object)}' objects is not writable`);
    const declared = object.cls.lookup(name);
    if (declared instanceof PyInstance && declared.cls === PROPERTY) {
      const { fset } = declared.native as PropertyAccessors;
      if (fset === null) throw attributeError(`can't set attribute '${name}'`);
      site.rt.call(fset, { positional: [object, value], keywords: new Map() }, site.range);
      return;
    }
    const hook = object.cls.lookup('__setattr_hook__');
    if (hook instanceof BuiltinFunction) hook.impl({ positional: [object, name, value], keywords: new Map() }, site);
    object.attrs.set(name, value);
    return;
  }
  if (object instanceof PyClass && !object.qualifiedName) {
    object.attrs.set(name, value);
    return;
  }
  if (object instanceof PyFunction) {
    object.attrs.set(name, value);
    return;
  }
  if (object instanceof PyModule || object instanceof PyClass) throw unsupported(`changing ${object.name}.${name}`);
  if (object instanceof PyOpaque) throw opaqueError(object);
  throw noAttribute(typeName(object), name);
}

export function deleteAttribute(object: PyValue, name: string, _site: CallSite): void {
  if (object instanceof PyInstance && isFrozen(object))
    throw attributeError(`attribute '${name}' of '${typeName(object)}' objects is not writable`);
  if (object instanceof PyInstance && object.attrs.delete(name)) return;
  throw noAttribute(typeName(object), name);
}

// ------------------------------------------------------------------ built-in container methods

function method(name: string, impl: (args: Args, site: CallSite) => PyValue): BuiltinFunction {
  return new BuiltinFunction(name, impl);
}

function builtinMethod(object: PyValue, name: string, site: CallSite): PyValue | undefined {
  if (object instanceof PySet) return setMethod(object, name);
  if (object instanceof PyList) return listMethod(object, name);
  if (object instanceof PyTuple) return tupleMethod(object, name, site);
  if (object instanceof PyDict) return dictMethod(object, name);
  if (typeof object === 'string') return stringMethod(object, name);
  if (typeof object === 'number') {
    if (name === 'is_integer') return method(name, () => Number.isInteger(object));
    if (name === 'real') return object;
    if (name === 'imag') return 0;
  }
  if (typeof object === 'bigint' || typeof object === 'boolean') {
    if (name === 'real' || name === 'numerator') return typeof object === 'boolean' ? BigInt(object) : object;
    if (name === 'value' && typeof object === 'bigint') {
      // A TF 1 static shape entry (tf.Dimension): x.get_shape()[1].value is the int; TF 2 entries are ints.
      recordLegacyApi(site, 'Dimension.value', 'shape entries are ints');
      return object;
    }
    if (name === 'bit_length')
      return method(name, () =>
        BigInt(
          (typeof object === 'boolean' ? (object ? 1n : 0n) : object < 0n ? -object : object)
            .toString(2)
            .replace(/^0$/, '').length,
        ),
      );
  }
  return undefined;
}

function listMethod(list: PyList, name: string): PyValue | undefined {
  switch (name) {
    case 'append':
      return method(name, (a, site) => {
        site.rt.guard.growCollection('a list', list.items.length + 1, 1);
        list.items.push(a.positional[0]);
        return null;
      });
    case 'extend':
      return method(name, (a, site) => {
        const more = [...iterate(a.positional[0], site)];
        site.rt.guard.growCollection('a list', list.items.length + more.length, more.length);
        list.items.push(...more);
        return null;
      });
    case 'insert':
      return method(name, (a, site) => {
        site.rt.guard.growCollection('a list', list.items.length + 1, 1);
        let i = toInt(a.positional[0], 'index');
        if (i < 0) i = Math.max(0, list.items.length + i);
        list.items.splice(i, 0, a.positional[1]);
        return null;
      });
    case 'pop':
      return method(name, (a) => {
        if (!list.items.length) throw indexError('pop from empty list');
        const i = a.positional.length ? toInt(a.positional[0]) : -1;
        return list.items.splice(i < 0 ? list.items.length + i : i, 1)[0];
      });
    case 'remove':
      return method(name, (a) => {
        const i = list.items.findIndex((x) => pyEquals(x, a.positional[0]));
        if (i < 0) throw valueError('list.remove(x): x not in list');
        list.items.splice(i, 1);
        return null;
      });
    case 'index':
      return method(name, (a) => indexOf(list.items, a.positional[0]));
    case 'count':
      return method(name, (a) => BigInt(list.items.filter((x) => pyEquals(x, a.positional[0])).length));
    case 'reverse':
      return method(name, () => {
        list.items.reverse();
        return null;
      });
    case 'sort':
      return method(name, (a, site) => {
        const { key, reverse } = bindArgs('sort', a, ['*', 'key=None', 'reverse=False']);
        sortItems(list.items, key, reverse === true, site);
        return null;
      });
    case 'copy':
      return method(name, (_a, site) => {
        site.rt.guard.growCollection('a list', list.items.length);
        return new PyList([...list.items]);
      });
    case 'clear':
      return method(name, () => {
        list.items.length = 0;
        return null;
      });
  }
  return undefined;
}

export function sortItems(items: PyValue[], key: PyValue, reverse: boolean, site: CallSite): void {
  const keys = new Map<PyValue, PyValue>();
  const keyOf = (v: PyValue) => {
    if (key === null) return v;
    if (!keys.has(v)) keys.set(v, site.rt.call(key, { positional: [v], keywords: new Map() }, site.range));
    return keys.get(v)!;
  };
  site.rt.guard.work(items.length * Math.log2(items.length + 1)); // the comparisons a sort makes
  items.sort((x, y) => pyCompare(keyOf(x), keyOf(y)) * (reverse ? -1 : 1));
}

function indexOf(items: readonly PyValue[], value: PyValue): bigint {
  const i = items.findIndex((x) => pyEquals(x, value));
  if (i < 0) throw valueError(`${repr(value)} is not in list`);
  return BigInt(i);
}

function tupleMethod(tuple: PyTuple, name: string, site: CallSite): PyValue | undefined {
  const field = tuple.fields?.indexOf(name) ?? -1;
  if (field >= 0) return tuple.items[field];
  switch (name) {
    case 'index':
      return method(name, (a) => indexOf(tuple.items, a.positional[0]));
    case 'count':
      return method(name, (a) => BigInt(tuple.items.filter((x) => pyEquals(x, a.positional[0])).length));
  }
  if (tuple.typeName === 'TensorShape') {
    if (name === 'as_list') return method(name, () => new PyList([...tuple.items]));
    if (name === 'rank' || name === 'ndims') return BigInt(tuple.items.length);
    if (name === 'num_elements')
      return method(name, () => tuple.items.reduce<bigint>((acc, d) => acc * BigInt(toInt(d)), 1n));
    if (name === 'dims') return new PyList([...tuple.items]);
  }
  if (tuple.typeName === 'torch.Size' && name === 'numel')
    return method(name, () => tuple.items.reduce<bigint>((acc, d) => acc * BigInt(toInt(d)), 1n));
  void site;
  return undefined;
}

function dictMethod(dict: PyDict, name: string): PyValue | undefined {
  switch (name) {
    case 'get':
      return method(name, (a) => dict.get(a.positional[0]) ?? (a.positional.length > 1 ? a.positional[1] : null));
    case 'keys':
      return method(name, () => new PyList(dict.keys()));
    case 'values':
      return method(name, () => new PyList(dict.values()));
    case 'items':
      return method(name, () => new PyList([...dict.entries.values()].map(([k, v]) => new PyTuple([k, v]))));
    case 'update':
      return method(name, (a, site) => {
        updateDict(dict, a, site);
        return null;
      });
    case 'pop':
      return method(name, (a) => {
        const value = dict.get(a.positional[0]);
        if (value === undefined) {
          if (a.positional.length > 1) return a.positional[1];
          throw keyError(repr(a.positional[0]));
        }
        dict.delete(a.positional[0]);
        return value;
      });
    case 'setdefault':
      return method(name, (a) => {
        if (!dict.has(a.positional[0])) dict.set(a.positional[0], a.positional[1] ?? null);
        return dict.get(a.positional[0])!;
      });
    case 'copy':
      return method(name, () => {
        const out = new PyDict();
        for (const [k, v] of dict.entries.values()) out.set(k, v);
        return out;
      });
  }
  return undefined;
}

/** dict.update(other, **kw) and dict(other, **kw): a mapping or an iterable of pairs, then keywords. */
export function updateDict(dict: PyDict, a: Args, site: CallSite): PyDict {
  const other = a.positional[0];
  const before = dict.entries.size;
  if (other instanceof PyDict) for (const [k, v] of other.entries.values()) dict.set(k, v);
  else if (other !== undefined) {
    for (const pair of iterate(other, site)) {
      const [k, v] = [...iterate(pair, site)];
      dict.set(k, v);
    }
  }
  for (const [k, v] of a.keywords) dict.set(k, v);
  site.rt.guard.growCollection('a dict', dict.entries.size, dict.entries.size - before);
  return dict;
}

function stringMethod(text: string, name: string): PyValue | undefined {
  switch (name) {
    case 'format':
      return method(name, (a, site) => {
        let auto = 0;
        const formatted = text.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (match, field: string | undefined) => {
          if (match === '{{') return '{';
          if (match === '}}') return '}';
          const [ref, spec = ''] = (field ?? '').split(':');
          const value =
            ref === '' ? a.positional[auto++] : /^\d+$/.test(ref) ? a.positional[Number(ref)] : a.keywords.get(ref);
          if (value === undefined) throw keyError(`'${ref}'`);
          return spec ? formatWith(value, spec) : str(value);
        });
        site.rt.guard.growString(formatted.length);
        return formatted;
      });
    case 'join':
      return method(name, (a, site) => {
        const parts = [...iterate(a.positional[0], site)].map((v) => {
          if (typeof v !== 'string') throw typeError(`sequence item: expected str instance, ${typeName(v)} found`);
          return v;
        });
        // The length is known before joining: a join past the string limit never allocates.
        const length = parts.reduce((total, part) => total + part.length, text.length * Math.max(parts.length - 1, 0));
        site.rt.guard.growString(length);
        return parts.join(text);
      });
    case 'lower':
    case 'casefold':
      return method(name, () => text.toLowerCase());
    case 'upper':
      return method(name, () => text.toUpperCase());
    case 'swapcase':
      return method(name, () =>
        [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
      );
    case 'capitalize':
      return method(name, () => text.charAt(0).toUpperCase() + text.slice(1).toLowerCase());
    case 'title':
      return method(name, () =>
        text.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_m, p: string, c: string) => p + c.toUpperCase()),
      );
    case 'strip':
    case 'lstrip':
    case 'rstrip':
      return method(name, (a) => stripChars(text, name, a.positional[0] ?? null));
    case 'startswith':
    case 'endswith':
      return method(name, (a) => {
        const [prefixes, start, end] = a.positional;
        const part = text.slice(...sliceBounds(text, start, end));
        const test = (p: PyValue) => {
          if (typeof p !== 'string')
            throw typeError(`${name} first arg must be str or a tuple of str, not ${typeName(p)}`);
          return name === 'startswith' ? part.startsWith(p) : part.endsWith(p);
        };
        return prefixes instanceof PyTuple ? prefixes.items.some(test) : test(prefixes);
      });
    case 'find':
    case 'rfind':
    case 'index':
    case 'rindex':
    case 'count':
      return method(name, (a) => {
        const [sub, start, end] = a.positional;
        if (typeof sub !== 'string') throw typeError(`must be str, not ${typeName(sub)}`);
        const [from, to] = sliceBounds(text, start, end);
        const part = text.slice(from, to);
        if (name === 'count') return BigInt(sub === '' ? part.length + 1 : part.split(sub).length - 1);
        const at = name === 'find' || name === 'index' ? part.indexOf(sub) : part.lastIndexOf(sub);
        if (at < 0 && (name === 'index' || name === 'rindex')) throw valueError('substring not found');
        return BigInt(at < 0 ? -1 : at + from);
      });
    case 'isnumeric':
      return method(name, () => /^\p{N}+$/u.test(text));
    case 'isdigit':
      return method(name, () => /^[\p{Nd}\u00B2\u00B3\u00B9\u2070-\u2079\u2080-\u2089]+$/u.test(text));
    case 'isdecimal':
      return method(name, () => /^\p{Nd}+$/u.test(text));
    case 'isalpha':
      return method(name, () => /^\p{L}+$/u.test(text));
    case 'isalnum':
      return method(name, () => /^[\p{L}\p{N}]+$/u.test(text));
    case 'isspace':
      return method(name, () => /^\s+$/.test(text));
    case 'isupper':
      return method(name, () => text.toUpperCase() === text && text.toLowerCase() !== text);
    case 'islower':
      return method(name, () => text.toLowerCase() === text && text.toUpperCase() !== text);
    case 'isidentifier':
      return method(name, () => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(text));
    case 'replace':
      return method(name, (a, site) => {
        const [old, replacement, count] = [str(a.positional[0]), str(a.positional[1]), a.positional[2]];
        const parts = text.split(old);
        const limit =
          count === undefined || toInt(count) < 0 ? parts.length - 1 : Math.min(toInt(count), parts.length - 1);
        site.rt.guard.growString(text.length + limit * (replacement.length - old.length));
        return (
          parts.slice(0, limit + 1).join(replacement) +
          (limit < parts.length - 1 ? old + parts.slice(limit + 1).join(old) : '')
        );
      });
    case 'split':
    case 'rsplit':
      return method(name, (a, site) => {
        const { sep, maxsplit } = bindArgs(name, a, ['sep=None', 'maxsplit=-1']);
        const parts = splitText(text, sep === null ? null : str(sep), toInt(maxsplit), name === 'rsplit');
        site.rt.guard.growCollection('a list', parts.length); // at most the string's length, already bounded
        return new PyList(parts);
      });
    case 'splitlines':
      return method(
        name,
        () => new PyList(text.split(/\r\n|\r|\n/).filter((l, i, all) => i < all.length - 1 || l !== '')),
      );
    case 'partition':
    case 'rpartition':
      return method(name, (a) => {
        const sep = str(a.positional[0]);
        const at = name === 'partition' ? text.indexOf(sep) : text.lastIndexOf(sep);
        if (at < 0) return new PyTuple(name === 'partition' ? [text, '', ''] : ['', '', text]);
        return new PyTuple([text.slice(0, at), sep, text.slice(at + sep.length)]);
      });
    case 'center':
    case 'ljust':
    case 'rjust':
      return method(name, (a, site) => {
        const width = toInt(a.positional[0]);
        site.rt.guard.growString(Math.max(width, text.length));
        const fill = a.positional[1] === undefined ? ' ' : str(a.positional[1]);
        const pad = Math.max(0, width - text.length);
        if (name === 'ljust') return text + fill.repeat(pad);
        if (name === 'rjust') return fill.repeat(pad) + text;
        const left = Math.floor(pad / 2) + (pad % 2 && width % 2 ? 1 : 0);
        return fill.repeat(left) + text + fill.repeat(pad - left);
      });
    case 'zfill':
      return method(name, (a, site) => {
        const width = toInt(a.positional[0]);
        site.rt.guard.growString(Math.max(width, text.length));
        const sign = /^[+-]/.test(text) ? text[0] : '';
        const body = sign ? text.slice(1) : text;
        return sign + body.padStart(Math.max(0, width - sign.length), '0');
      });
  }
  return undefined;
}

/** str.strip/lstrip/rstrip: whitespace, or any of `chars`. */
function stripChars(text: string, which: string, chars: PyValue): string {
  const set = chars === null ? null : str(chars);
  const strip = (c: string) => (set === null ? /\s/.test(c) : set.includes(c));
  let [from, to] = [0, text.length];
  if (which !== 'rstrip') while (from < to && strip(text[from])) from++;
  if (which !== 'lstrip') while (to > from && strip(text[to - 1])) to--;
  return text.slice(from, to);
}

/** The [start, end) a str method's optional start/end arguments select, as slices resolve them. */
function sliceBounds(text: string, start: PyValue | undefined, end: PyValue | undefined): [number, number] {
  const at = (v: PyValue | undefined, fallback: number) => {
    if (v === undefined || v === null) return fallback;
    const i = toInt(v);
    return Math.min(Math.max(i < 0 ? i + text.length : i, 0), text.length);
  };
  return [at(start, 0), at(end, text.length)];
}

/** str.split/rsplit with Python's rules: runs of whitespace without `sep`, at most `maxsplit` cuts. */
function splitText(text: string, sep: string | null, maxsplit: number, fromRight: boolean): string[] {
  if (sep === '') throw valueError('empty separator');
  const parts = sep === null ? text.split(/\s+/).filter(Boolean) : text.split(sep);
  const glue = sep ?? ' ';
  if (maxsplit < 0 || parts.length - 1 <= maxsplit) return parts;
  if (sep === null) {
    // without sep the remainder keeps its own whitespace
    const words = fromRight ? [...parts].reverse() : parts;
    const kept = words.slice(0, maxsplit);
    let rest = fromRight ? text.trimEnd() : text.trimStart();
    for (const w of kept)
      rest = fromRight
        ? rest.slice(0, rest.lastIndexOf(w)).trimEnd()
        : rest.slice(rest.indexOf(w) + w.length).trimStart();
    return fromRight ? [rest, ...kept.reverse()] : [...kept, rest];
  }
  return fromRight
    ? [parts.slice(0, parts.length - maxsplit).join(glue), ...parts.slice(parts.length - maxsplit)]
    : [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(glue)];
}

// Late-bound to avoid an import cycle with formatSpec.ts (which needs str/repr only).
import { formatValue } from './formatSpec';
const formatWith = (value: PyValue, spec: string) => formatValue(value, spec);

export { length };
