// The theano.tensor, theano.tensor.nnet and extra_ops function tables and the variable method table,
// and the helpers that fill them.
import { tensorMethod, type TensorAttribute } from '../../attributes';
import type { CallSite } from '../../callsite';
import { bindArgs } from '../../signature';
import { TensorValue } from '../../tensor';
import type { PyValue } from '../../values';
import { type Bound, def } from '../common';

export const tensorFunctions = new Map<string, PyValue>();
export const nnetFunctions = new Map<string, PyValue>();
export const extraOps = new Map<string, PyValue>();
export const variableMethods: Record<string, TensorAttribute> = {};

export function fn(
  name: string,
  spec: readonly string[],
  impl: (a: Bound, site: CallSite) => PyValue,
  aliases?: Record<string, string>,
): void {
  tensorFunctions.set(name, def(name, spec, impl, aliases));
}

export function method(
  name: string,
  spec: readonly string[],
  impl: (self: TensorValue, a: Bound, site: CallSite) => PyValue,
): void {
  variableMethods[name] = tensorMethod((self, args, site) => impl(self, bindArgs(name, args, spec), site));
}
