// The keras.backend function table and the helper that fills it (K), and calling Python callables
// from the native functions (K.switch's branches, Loss.__call__).
import type { CallSite } from '../../callsite';
import { BoundMethod, BuiltinFunction, PyClass, PyFunction, PyInstance, type PyValue } from '../../values';
import { type Bound, def } from '../common';

export const backend = new Map<string, PyValue>();

export function K(name: string, spec: readonly string[], impl: (a: Bound, site: CallSite) => PyValue): BuiltinFunction {
  const f = def(`keras.backend.${name}`, spec, impl);
  backend.set(name, f);
  return f;
}

export const isCallable = (v: PyValue) =>
  v instanceof PyFunction ||
  v instanceof BoundMethod ||
  v instanceof BuiltinFunction ||
  v instanceof PyClass ||
  (v instanceof PyInstance && v.cls.lookup('__call__') !== undefined);
export const call = (site: CallSite, f: PyValue, positional: PyValue[], keywords = new Map<string, PyValue>()) =>
  site.rt.call(f, { positional, keywords }, site.range);
