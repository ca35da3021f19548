// The tf.* function tables (tensorflow, tf.math, tf.nn, tf.linalg) and the helper that fills them:
// one function object, registered under its name in every table that has it.
import type { CallSite } from '../../callsite';
import type { BuiltinFunction, PyValue } from '../../values';
import { type Bound, def } from '../common';

type Impl = (a: Bound, site: CallSite) => PyValue;
export const top = new Map<string, PyValue>();
export const math = new Map<string, PyValue>();
export const nn = new Map<string, PyValue>();
export const linalg = new Map<string, PyValue>();

export function fn(
  tables: Map<string, PyValue>[],
  name: string,
  spec: readonly string[],
  impl: Impl,
  qualified = `tf.${name}`,
): BuiltinFunction {
  const f = def(qualified, spec, impl);
  for (const t of tables) t.set(name, f);
  return f;
}
export const TOP_MATH = [top, math];
