// The torch.* function table and the torch.Tensor method table, and the helpers that fill them (`both`
// registers `torch.name(input, ...)` and `tensor.name(...)` with one implementation).
import { tensorMethod, type TensorAttribute } from '../../attributes';
import type { CallSite } from '../../callsite';
import { bindArgs } from '../../signature';
import { TensorValue } from '../../tensor';
import { PyList, PyTuple, type PyValue, typeName } from '../../values';
import { typeError } from '../../errors';
import { isTensor } from '../../protocols';
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
    def(`torch.${name}`, fnSpec, (a, site) => impl(T(site, tensorInput(name, a.input)), a, site), aliases),
  );
  tensorMethods[name] = tensorMethod((self, args, site) =>
    impl(self, bindArgs(`Tensor.${name}`, args, spec, aliases), site),
  );
}

/**
 * torch.name(input) takes a tensor, never a tuple or list of them (torch.sigmoid((x,)) raises
 * TypeError; only constructors such as torch.tensor stack a list): a loss handed a tuple of heads
 * where it wants one tensor fails as in torch rather than on a stacked tensor of a wrong rank.
 */
function tensorInput(name: string, input: PyValue): PyValue {
  const sequence = input instanceof PyList || input instanceof PyTuple;
  if (sequence && input.items.some(isTensor))
    throw typeError(`${name}(): argument 'input' (position 1) must be Tensor, not ${typeName(input)}`);
  return input;
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
