// The np.* function table and the ndarray method table, and the helpers that fill them (`both`
// registers `np.name(a, ...)` and `ndarray.name(...)` with one implementation).
import { tensorMethod, type TensorAttribute } from '../../attributes';
import type { CallSite } from '../../callsite';
import { bindArgs } from '../../signature';
import type { TensorValue } from '../../tensor';
import type { PyValue } from '../../values';
import { type Bound, def } from '../common';
import { N } from './arguments';

export const npFunctions = new Map<string, PyValue>();
export const arrayMethods: Record<string, TensorAttribute> = {};

export function fn(
  name: string,
  spec: readonly string[],
  impl: (a: Bound, site: CallSite) => PyValue,
  aliases?: Record<string, string>,
): void {
  npFunctions.set(name, def(name, spec, impl, aliases));
}

export function method(
  name: string,
  spec: readonly string[],
  impl: (self: TensorValue, a: Bound, site: CallSite) => PyValue,
  aliases?: Record<string, string>,
): void {
  arrayMethods[name] = tensorMethod((self, args, site) => impl(self, bindArgs(name, args, spec, aliases), site));
}

/** `np.name(a, ...spec)` and `ndarray.name(...spec)` with one implementation. */
export function both(
  name: string,
  spec: readonly string[],
  impl: (x: TensorValue, a: Bound, site: CallSite) => PyValue,
): void {
  fn(name, ['a', ...spec], (a, site) => impl(N(site, a.a), a, site));
  method(name, spec, impl);
}
