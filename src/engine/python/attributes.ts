// Attribute access: modules, instances and classes (with bound methods, super, properties),
// tensor attributes by framework flavour, and the methods of Python's built-in containers.
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
  PyModule,
  PyOpaque,
  PySuper,
  PyTuple,
  type PyValue,
  typeName,
} from './values';
import { bindArgs } from './signature';

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

export const tensorMethod = (call: (self: TensorValue, args: Args, site: CallSite) => PyValue): TensorAttribute => ({
  kind: 'method',
  call,
});
export const tensorProperty = (get: (self: TensorValue, site: CallSite) => PyValue): TensorAttribute => ({
  kind: 'property',
  get,
});

/** Marker objects made by @staticmethod, @classmethod and @property. */
export const STATICMETHOD = new PyClass('staticmethod', [], new Map());
export const CLASSMETHOD = new PyClass('classmethod', [], new Map());
export const PROPERTY = new PyClass('property', [], new Map());

function noAttribute(owner: string, name: string): InterpreterError {
  return attributeError(`'${owner}' object has no attribute '${name}'`);
}

function bindClassAttribute(value: PyValue, self: PyValue, cls: PyClass, site: CallSite): PyValue {
  if (value instanceof PyFunction || value instanceof BuiltinFunction)
    return self === undefined ? value : new BoundMethod(self, value);
  if (value instanceof PyInstance && value.cls === STATICMETHOD) return value.native as PyValue;
  if (value instanceof PyInstance && value.cls === CLASSMETHOD) return new BoundMethod(cls, value.native as PyFunction);
  if (value instanceof PyInstance && value.cls === PROPERTY) {
    return site.rt.call(value.native as PyValue, { positional: [self], keywords: new Map() }, site.range);
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
  if (object instanceof PyInstance) {
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
  if (object instanceof PyInstance && object.attrs.delete(name)) return;
  throw noAttribute(typeName(object), name);
}

// ------------------------------------------------------------------ built-in container methods

function method(name: string, impl: (args: Args, site: CallSite) => PyValue): BuiltinFunction {
  return new BuiltinFunction(name, impl);
}

function builtinMethod(object: PyValue, name: string, site: CallSite): PyValue | undefined {
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
        site.rt.guard.checkCollectionLength(list.items.length + 1, 'a list');
        list.items.push(a.positional[0]);
        return null;
      });
    case 'extend':
      return method(name, (a, site) => {
        const more = [...iterate(a.positional[0], site)];
        site.rt.guard.checkCollectionLength(list.items.length + more.length, 'a list');
        list.items.push(...more);
        return null;
      });
    case 'insert':
      return method(name, (a) => {
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
      return method(name, () => new PyList([...list.items]));
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
  if (other instanceof PyDict) for (const [k, v] of other.entries.values()) dict.set(k, v);
  else if (other !== undefined) {
    for (const pair of iterate(other, site)) {
      const [k, v] = [...iterate(pair, site)];
      dict.set(k, v);
    }
  }
  for (const [k, v] of a.keywords) dict.set(k, v);
  return dict;
}

function stringMethod(text: string, name: string): PyValue | undefined {
  switch (name) {
    case 'format':
      return method(name, (a) => {
        let auto = 0;
        return text.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (match, field: string | undefined) => {
          if (match === '{{') return '{';
          if (match === '}}') return '}';
          const [ref, spec = ''] = (field ?? '').split(':');
          const value =
            ref === '' ? a.positional[auto++] : /^\d+$/.test(ref) ? a.positional[Number(ref)] : a.keywords.get(ref);
          if (value === undefined) throw keyError(`'${ref}'`);
          return spec ? formatWith(value, spec) : str(value);
        });
      });
    case 'join':
      return method(name, (a, site) =>
        [...iterate(a.positional[0], site)]
          .map((v) => {
            if (typeof v !== 'string') throw typeError(`sequence item: expected str instance, ${typeName(v)} found`);
            return v;
          })
          .join(text),
      );
    case 'lower':
      return method(name, () => text.toLowerCase());
    case 'upper':
      return method(name, () => text.toUpperCase());
    case 'strip':
      return method(name, () => text.trim());
    case 'startswith':
      return method(name, (a) => text.startsWith(str(a.positional[0])));
    case 'endswith':
      return method(name, (a) => text.endsWith(str(a.positional[0])));
    case 'replace':
      return method(name, (a) => text.split(str(a.positional[0])).join(str(a.positional[1])));
    case 'split':
      return method(
        name,
        (a) =>
          new PyList(
            a.positional[0] === undefined || a.positional[0] === null
              ? text.trim().split(/\s+/).filter(Boolean)
              : text.split(str(a.positional[0])),
          ),
      );
  }
  return undefined;
}

// Late-bound to avoid an import cycle with formatSpec.ts (which needs str/repr only).
import { formatValue } from './formatSpec';
const formatWith = (value: PyValue, spec: string) => formatValue(value, spec);

export { length };
