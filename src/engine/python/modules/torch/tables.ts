// The torch.* function table and the torch.Tensor method table, and the helpers that fill them (`both`
// registers `torch.name(input, ...)` and `tensor.name(...)` with one implementation).
import { tensorMethod, type TensorAttribute } from '../../attributes';
import type { CallSite } from '../../callsite';
import { bindArgs } from '../../signature';
import { TensorValue } from '../../tensor';
import type { PyValue } from '../../values';
import { type Bound, def } from '../common';
import { T } from './arguments';

export const torchFunctions = new Map<string, PyValue>();
export const tensorMethods: Record<string, TensorAttribute> = {};

/** Registers `torch.name(input, ...)` and `tensor.name(...)` with one implementation. */
export function both(
  name: string,
  spec: readonly string[],
  impl: (self: TensorValue, a: Bound, site: CallSite) => PyValue,
  aliases: Record<string, string> = { axis: 'dim', keepdims: 'keepdim' },
): void {
  const fnSpec = ['input', ...spec];
  torchFunctions.set(
    name,
    def(`torch.${name}`, fnSpec, (a, site) => impl(T(site, a.input), a, site), aliases),
  );
  tensorMethods[name] = tensorMethod((self, args, site) =>
    impl(self, bindArgs(`Tensor.${name}`, args, spec, aliases), site),
  );
}

export function fn(
  name: string,
  spec: readonly string[],
  impl: (a: Bound, site: CallSite) => PyValue,
  aliases?: Record<string, string>,
): void {
  torchFunctions.set(name, def(`torch.${name}`, spec, impl, aliases));
}

export function method(
  name: string,
  spec: readonly string[],
  impl: (self: TensorValue, a: Bound, site: CallSite) => PyValue,
  aliases: Record<string, string> = { axis: 'dim', keepdims: 'keepdim' },
): void {
  tensorMethods[name] = tensorMethod((self, args, site) =>
    impl(self, bindArgs(`Tensor.${name}`, args, spec, aliases), site),
  );
}
