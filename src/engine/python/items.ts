// Subscripts: x[i], x[a:b], d[key], and their assignment/deletion. Tensors go to ops/indexing.
import type { CallSite } from './callsite';
import { InterpreterError, keyError, typeError } from './errors';
import { indexTensor, setTensorItem } from './ops/indexing';
import { isTensor, normaliseIndex, opaqueError, repr, sliceIndices, toInt } from './protocols';
import {
  PyDict,
  PyInstance,
  PyList,
  PyOpaque,
  PySlice,
  PyTuple,
  type PyValue,
  BoundMethod,
  PyFunction,
  BuiltinFunction,
  typeName,
} from './values';

function sequenceItem<T>(items: readonly T[], index: PyValue, what: string): T | T[] {
  if (index instanceof PySlice) return sliceIndices(index, items.length).map((i) => items[i]);
  return items[normaliseIndex(toInt(index, `${what} index`), items.length, `${what} index`)];
}

export function getItem(object: PyValue, index: PyValue, site: CallSite): PyValue {
  if (isTensor(object)) return indexTensor(site, object, index);
  if (object instanceof PyList) {
    const item = sequenceItem(object.items, index, 'list');
    return index instanceof PySlice ? new PyList(item as PyValue[]) : (item as PyValue);
  }
  if (object instanceof PyTuple) {
    const item = sequenceItem(object.items, index, 'tuple');
    return index instanceof PySlice ? new PyTuple(item as PyValue[], object.typeName) : (item as PyValue);
  }
  if (typeof object === 'string') {
    const item = sequenceItem([...object], index, 'string');
    return Array.isArray(item) ? item.join('') : item;
  }
  if (object instanceof PyDict) {
    const value = object.get(index);
    if (value === undefined) throw keyError(repr(index));
    return value;
  }
  if (object instanceof PyInstance) {
    const getter = object.cls.lookup('__getitem__');
    if (getter instanceof PyFunction || getter instanceof BuiltinFunction) {
      return site.rt.call(new BoundMethod(object, getter), { positional: [index], keywords: new Map() }, site.range);
    }
  }
  // Float[Tensor, "b c"] from an uninstalled typing helper: tolerated like the rest of it.
  if (object instanceof PyOpaque && object.unresolved)
    return new PyOpaque(`${object.description}[...]`, undefined, object.unresolved);
  if (object instanceof PyOpaque) throw opaqueError(object);
  throw typeError(`'${typeName(object)}' object is not subscriptable`);
}

export function setItem(object: PyValue, index: PyValue, value: PyValue, site: CallSite): void {
  if (object instanceof PyList) {
    if (index instanceof PySlice) throw new InterpreterError('unsupported', 'unsupported: slice assignment on lists');
    object.items[normaliseIndex(toInt(index, 'list index'), object.items.length, 'list assignment index')] = value;
    return;
  }
  if (object instanceof PyDict) {
    object.set(index, value);
    return;
  }
  if (isTensor(object)) {
    if (object.flavour === 'tf') throw typeError("'EagerTensor' object does not support item assignment");
    setTensorItem(site, object, index, value);
    return;
  }
  throw typeError(`'${typeName(object)}' object does not support item assignment`);
}

export function deleteItem(object: PyValue, index: PyValue, _site: CallSite): void {
  if (object instanceof PyList) {
    if (index instanceof PySlice) {
      const drop = new Set(sliceIndices(index, object.items.length));
      object.items = object.items.filter((_, i) => !drop.has(i));
      return;
    }
    object.items.splice(normaliseIndex(toInt(index, 'list index'), object.items.length), 1);
    return;
  }
  if (object instanceof PyDict) {
    if (!object.delete(index)) throw keyError(repr(index));
    return;
  }
  throw typeError(`'${typeName(object)}' object does not support item deletion`);
}
