// The pre-0.4 API loss code still uses: the typed tensor classes (torch.FloatTensor(2, 3),
// torch.cuda.LongTensor([1, 2]), isinstance(x, torch.FloatTensor), x.type(torch.DoubleTensor)),
// torch.autograd.Variable, and changing requires_grad (x.requires_grad = False, requires_grad_()).
import * as tf from '@tensorflow/tfjs';
import { registerTensorSetter } from '../../attributes';
import { OBJECT_CLASS, TYPE_CLASSES } from '../../builtins';
import type { CallSite } from '../../callsite';
import { runtimeError, typeError } from '../../errors';
import { asTensor, castTensor } from '../../ops/coercion';
import { filled } from '../../ops/shape';
import { isTensor, toInt, truthy } from '../../protocols';
import { type LogicalDtype, TensorValue } from '../../tensor';
import { type Args, BuiltinFunction, PyClass, PyList, PyTuple, type PyValue, typeName } from '../../values';
import { bindArgs } from '../../signature';
import { FLAVOUR, T } from './arguments';
import { method, torchFunctions } from './tables';

/** The legacy class names: torch.FloatTensor is float32... (x.type() returns these names). */
export const LEGACY_TYPE_NAMES: Record<LogicalDtype, string> = {
  float32: 'FloatTensor',
  float64: 'DoubleTensor',
  float16: 'HalfTensor',
  int64: 'LongTensor',
  int32: 'IntTensor',
  int16: 'ShortTensor',
  int8: 'CharTensor',
  uint8: 'ByteTensor',
  bool: 'BoolTensor',
};

const legacyDtypes = new Map<PyClass, LogicalDtype>();

/**
 * The legacy constructor: no argument is an empty tensor, ints (or a torch.Size) are sizes (torch
 * leaves the memory uninitialised: zeros here), a sequence or numpy array is data, and a tensor of
 * the same type is returned as it is.
 */
function construct(site: CallSite, dtype: LogicalDtype, qualifiedName: string, args: Args): TensorValue {
  for (const key of args.keywords.keys())
    if (key !== 'device') throw typeError(`new() received an invalid combination of arguments: '${key}'`);
  const items = args.positional;
  if (!items.length) return filled(site, [0], 0, dtype, FLAVOUR, qualifiedName);
  const isInt = (v: PyValue) => typeof v === 'bigint' || (isTensor(v) && v.rank === 0 && !v.dtype.startsWith('f'));
  if (items.length === 1) {
    const [data] = items;
    if (data instanceof PyTuple && data.typeName === 'torch.Size')
      return filled(
        site,
        data.items.map((d) => toInt(d)),
        0,
        dtype,
        FLAVOUR,
        qualifiedName,
      );
    if (isTensor(data) && data.flavour === 'torch' && data.rank > 0) {
      if (data.dtype !== dtype)
        throw typeError(`expected ${qualifiedName} (got a tensor of dtype ${data.dtype}): use .type() or .to()`);
      return data;
    }
    if (isTensor(data) && data.rank > 0) {
      // a numpy array: its values under this class's dtype
      const converted = castTensor(site, data, dtype);
      return new TensorValue(converted.tensor, dtype, FLAVOUR, converted.origin, false, converted.producer);
    }
    if (data instanceof PyList || data instanceof PyTuple) return asTensor(site, data, FLAVOUR, dtype);
    if (!isInt(data)) throw typeError(`new(): data must be a sequence (got ${typeName(data)})`);
  }
  const sizes = items.map((v, i) => {
    if (!isInt(v))
      throw typeError(
        `new(): argument 'size' must be tuple of ints, but found element of type ${typeName(v)} at pos ${i}`,
      );
    return toInt(v);
  });
  if (sizes.some((d) => d < 0))
    throw runtimeError(`Trying to create tensor with negative dimension ${Math.min(...sizes)}`);
  return filled(site, sizes, 0, dtype, FLAVOUR, qualifiedName);
}

function legacyClass(dtype: LogicalDtype, cuda: boolean): PyClass {
  const name = LEGACY_TYPE_NAMES[dtype];
  const qualifiedName = `torch.${cuda ? 'cuda.' : ''}${name}`;
  const cls = new PyClass(
    name,
    [OBJECT_CLASS],
    new Map<string, PyValue>([
      [
        '__new__',
        new BuiltinFunction(qualifiedName, (args, site) =>
          construct(site, dtype, qualifiedName, { positional: args.positional.slice(1), keywords: args.keywords }),
        ),
      ],
    ]),
    undefined,
    qualifiedName,
  );
  legacyDtypes.set(cls, dtype);
  // every tensor here lives on the CPU: none is a torch.cuda.*Tensor
  TYPE_CLASSES.set(cls, (v) => !cuda && isTensor(v) && v.flavour === 'torch' && v.dtype === dtype);
  return cls;
}

const DTYPES = Object.keys(LEGACY_TYPE_NAMES) as LogicalDtype[];
export const LEGACY_CLASSES = new Map(DTYPES.map((d) => [LEGACY_TYPE_NAMES[d], legacyClass(d, false)]));
export const CUDA_LEGACY_CLASSES = new Map(DTYPES.map((d) => [LEGACY_TYPE_NAMES[d], legacyClass(d, true)]));
for (const [name, cls] of LEGACY_CLASSES) torchFunctions.set(name, cls);

/** The dtype a legacy type stands for: a class (torch.cuda.FloatTensor) or its name ('torch.LongTensor'). */
export function legacyTypeDtype(value: PyValue): LogicalDtype | undefined {
  if (value instanceof PyClass) return legacyDtypes.get(value);
  if (typeof value !== 'string') return undefined;
  const name = value.replace(/^torch\.(cuda\.)?/, '');
  return DTYPES.find((d) => LEGACY_TYPE_NAMES[d] === name);
}

// ------------------------------------------------------------------ Variable

/**
 * torch.autograd.Variable(data, requires_grad=False): since torch 0.4 a detached copy of `data`
 * (torch's constructor calls data.detach()); with requires_grad=True it is a new leaf, which has no
 * path to the prediction either. isinstance(x, Variable) holds for every tensor.
 */
export const VARIABLE_CLASS = new PyClass(
  'Variable',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    [
      '__new__',
      new BuiltinFunction('torch.autograd.Variable', (args, site) => {
        const a = bindArgs('Variable', { positional: args.positional.slice(1), keywords: args.keywords }, [
          'data',
          'requires_grad=False',
          'volatile=False',
        ]);
        const data = isTensor(a.data) ? a.data : asTensor(site, a.data, FLAVOUR);
        return site.rt.apply(site, 'Variable', [data], ([t]) => tf.clone(t), {
          kind: { category: 'detach' },
          dtype: data.dtype,
          gradient: 'cut',
          flavour: FLAVOUR,
        });
      }),
    ],
  ]),
  undefined,
  'torch.autograd.Variable',
);
TYPE_CLASSES.set(VARIABLE_CLASS, (v) => isTensor(v) && v.flavour === 'torch');

// ------------------------------------------------------------------ requires_grad

/**
 * torch lets only leaves change requires_grad. Here the leaves that require grad are the loss's
 * inputs (the prediction); turning it off makes the tensor a constant from then on, as in torch.
 * Turning it on for a tensor that is not computed from the prediction leaves it without a path to
 * the prediction, which is all the gradient sees.
 */
function setRequiresGrad(x: TensorValue, value: PyValue, site: CallSite): void {
  const wanted = truthy(value);
  const leaf = !x.requiresGrad || x.producer < 0;
  if (!leaf) {
    throw runtimeError(
      'you can only change requires_grad flags of leaf variables.' +
        (wanted
          ? ''
          : " If you want to use a computed variable in a subgraph that doesn't require differentiation use " +
            'var_no_grad = var.detach().'),
    );
  }
  if (wanted || !x.requiresGrad) return;
  x.assignFrom(
    site.rt.apply(site, 'requires_grad_', [x], ([t]) => tf.clone(t), {
      kind: { category: 'detach' },
      dtype: x.dtype,
      gradient: 'cut',
    }),
  );
}
registerTensorSetter(FLAVOUR, 'requires_grad', setRequiresGrad);
// `x.data = y` (old code's in-place cast: `t.data = t.data.float()`): x now holds y's values, shape
// and dtype, outside autograd; x keeps its own requires_grad.
registerTensorSetter(FLAVOUR, 'data', (x, value, site) => {
  const replaced = T(site, value);
  const wantsGrad = x.requiresGrad;
  x.assignFrom(
    site.rt.apply(site, 'data', [replaced], ([t]) => tf.clone(t), {
      kind: { category: 'detach' },
      dtype: replaced.dtype,
      gradient: 'cut',
    }),
  );
  x.requiresGrad = wantsGrad;
});
method('requires_grad_', ['requires_grad=True'], (x, a, site) => {
  setRequiresGrad(x, a.requires_grad, site);
  return x;
});
