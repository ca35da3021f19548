// torch.Tensor conversions and metadata: dtype casts (.float(), .long(), .to(), .type()), clone,
// detach, numpy(), item(), tolist(), size()/dim()/numel(), fill_/zero_, new_*, the properties and
// the one device (cpu).
import * as tf from '@tensorflow/tfjs';
import { tensorProperty, type TensorAttribute } from '../../attributes';
import { OBJECT_CLASS } from '../../builtins';
import type { CallSite } from '../../callsite';
import { freeze } from '../../frozen';
import { asTensor, castTensor } from '../../ops/coercion';
import { torchToNumpy } from '../../ops/numpyConversion';
import { normaliseAxis } from '../../ops/reduce';
import { broadcastTo, filled, permute, zerosLike } from '../../ops/shape';
import { isTensor, tensorScalar, toShape } from '../../protocols';
import { TensorValue, isFloatDtype, type LogicalDtype } from '../../tensor';
import { PyClass, PyInstance, PyList, PyTuple, type PyValue } from '../../values';
import { type Bound, def, dtypeObject, floatArg, intArg, parseDtype } from '../common';
import { FLAVOUR, T, shapeArgs, torchSize } from './arguments';
import { LEGACY_TYPE_NAMES, legacyTypeDtype } from './legacy';
import { both, method, tensorMethods, torchFunctions } from './tables';

const CASTS: Record<string, LogicalDtype> = {
  float: 'float32',
  double: 'float64',
  half: 'float16',
  long: 'int64',
  int: 'int32',
  short: 'int16',
  bool: 'bool',
  byte: 'uint8',
};
for (const [name, dtype] of Object.entries(CASTS)) method(name, [], (x, _a, site) => castTensor(site, x, dtype, name));

function toDtypeOrDevice(x: TensorValue, a: Bound, site: CallSite): PyValue {
  const candidates = [...(a.args as PyTuple).items, a.dtype ?? null].filter((v) => v !== null);
  for (const c of candidates) {
    if (isTensor(c)) return castTensor(site, x, c.dtype, 'to');
    try {
      const dtype = parseDtype(c, FLAVOUR);
      if (dtype) return castTensor(site, x, dtype, 'to');
    } catch {
      // a device ('cuda', torch.device): moving devices does not change values
    }
  }
  return x;
}
method('to', ['*args', 'dtype=None', 'non_blocking=False', 'copy=False', 'device=None'], toDtypeOrDevice);
method('type', ['dtype=None', 'non_blocking=False'], (x, a, site) => {
  if (a.dtype === null) return `torch.${LEGACY_TYPE_NAMES[x.dtype]}`;
  return castTensor(site, x, legacyTypeDtype(a.dtype) ?? parseDtype(a.dtype, FLAVOUR) ?? x.dtype, 'type');
});
method('type_as', ['other'], (x, a, site) => castTensor(site, x, T(site, a.other).dtype, 'type_as'));
for (const name of ['contiguous', 'retain_grad', 'pin_memory']) method(name, ['*args', '**kwargs'], (x) => x);
// Losses train on a GPU, where .cpu() copies (and .cuda() from the CPU does): a copy made under
// no_grad does not require grad, so `with torch.no_grad(): x.cpu().numpy()` works there.
for (const name of ['cpu', 'cuda']) {
  method(name, ['*args', '**kwargs'], (x, _a, site) =>
    site.rt.gradEnabled
      ? x
      : site.rt.apply(site, name, [x], ([t]) => tf.clone(t), { kind: { category: 'copy' }, dtype: x.dtype }),
  );
}
// x.copy_(src): x holds src's values (broadcast to x's shape, in x's dtype); the gradient flows to src.
method('copy_', ['src', 'non_blocking=False'], (x, a, site) => {
  x.assignFrom(broadcastTo(site, castTensor(site, T(site, a.src), x.dtype), x.shape, 'copy_'));
  return x;
});
both('clone', ['*', 'memory_format=None'], (x, _a, site) =>
  site.rt.apply(site, 'clone', [x], ([t]) => tf.clone(t), { kind: { category: 'copy' }, dtype: x.dtype }),
);
method('detach', [], (x, _a, site) =>
  site.rt.apply(site, 'detach', [x], ([t]) => tf.clone(t), {
    kind: { category: 'detach' },
    dtype: x.dtype,
    gradient: 'cut',
  }),
);
torchFunctions.set(
  'detach',
  def('torch.detach', ['input'], (a, site) =>
    (
      tensorMethods.detach as {
        call: (
          s: TensorValue,
          args: { positional: PyValue[]; keywords: Map<string, PyValue> },
          site: CallSite,
        ) => PyValue;
      }
    ).call(T(site, a.input), { positional: [], keywords: new Map() }, site),
  ),
);
method('numpy', ['*', 'force=False'], (x, _a, site) => torchToNumpy(site, x, 'numpy'));
method('item', [], (x, _a, site) => {
  site.rt.recordConversion(site, 'item', x, 'scalar');
  const value = tensorScalar(x, 'item()');
  if (isFloatDtype(x.dtype)) return value;
  if (x.dtype === 'bool') return value !== 0;
  return BigInt(value);
});
method('tolist', [], (x, _a, site) => {
  site.rt.guard.growCollection('a list', x.size); // its nested lists hold one Python number per element
  site.rt.recordConversion(site, 'tolist', x, 'list');
  const data = Array.from(x.tensor.dataSync() as ArrayLike<number>);
  const convert = (v: number): PyValue => (isFloatDtype(x.dtype) ? v : x.dtype === 'bool' ? v !== 0 : BigInt(v));
  const build = (offset: number, dims: number[]): PyValue => {
    if (!dims.length) return convert(data[offset]);
    const stride = dims.slice(1).reduce((p, d) => p * d, 1);
    return new PyList(Array.from({ length: dims[0] }, (_, i) => build(offset + i * stride, dims.slice(1))));
  };
  return build(0, x.shape);
});
method('size', ['dim=None'], (x, a) =>
  a.dim === null ? torchSize(x.shape) : BigInt(x.shape[normaliseAxis(intArg(a.dim), x.rank)]),
);
method('dim', [], (x) => BigInt(x.rank));
method('ndimension', [], (x) => BigInt(x.rank));
method('numel', [], (x) => BigInt(x.size));
method('nelement', [], (x) => BigInt(x.size));
method('element_size', [], (x) => BigInt(x.dtype === 'float64' || x.dtype === 'int64' ? 8 : 4));
method('is_floating_point', [], (x) => isFloatDtype(x.dtype));
method('fill_', ['value'], (x, a, site) => {
  x.assignFrom(castTensor(site, zerosLike(site, x, floatArg(a.value), x.dtype, 'fill_'), x.dtype));
  return x;
});
method('zero_', [], (x, _a, site) => {
  x.assignFrom(zerosLike(site, x, 0, x.dtype, 'zero_'));
  return x;
});
for (const [name, value] of [
  ['new_ones', 1],
  ['new_zeros', 0],
] as const) {
  method(name, ['*size', 'dtype=None', 'device=None', 'requires_grad=False'], (x, a, site) =>
    filled(site, shapeArgs(a, 'size'), value, parseDtype(a.dtype, FLAVOUR) ?? x.dtype, FLAVOUR, name),
  );
}
method('new_full', ['size', 'fill_value', '*', 'dtype=None', 'device=None'], (x, a, site) =>
  filled(site, toShape(a.size), floatArg(a.fill_value), parseDtype(a.dtype, FLAVOUR) ?? x.dtype, FLAVOUR, 'new_full'),
);
method('new_tensor', ['data', '*', 'dtype=None', 'device=None', 'requires_grad=False'], (x, a, site) =>
  asTensor(site, a.data, FLAVOUR, parseDtype(a.dtype, FLAVOUR) ?? x.dtype),
);

const DEVICE_CLASS = new PyClass('device', [OBJECT_CLASS], new Map(), undefined, 'torch.device');
/** torch.device('cpu'), the only device; read-only, as torch's are. */
export const DEVICE_CPU = freeze(new PyInstance(DEVICE_CLASS));
DEVICE_CPU.attrs.set('type', 'cpu');

export const tensorProperties: Record<string, TensorAttribute> = {
  shape: tensorProperty((x) => torchSize(x.shape)),
  ndim: tensorProperty((x) => BigInt(x.rank)),
  dtype: tensorProperty((x) => dtypeObject(FLAVOUR, x.dtype)),
  device: tensorProperty(() => DEVICE_CPU),
  is_cuda: tensorProperty(() => false),
  requires_grad: tensorProperty((x) => x.requiresGrad),
  grad: tensorProperty(() => null),
  data: tensorProperty((x, site) =>
    site.rt.apply(site, 'data', [x], ([t]) => tf.clone(t), {
      kind: { category: 'detach' },
      dtype: x.dtype,
      gradient: 'cut',
    }),
  ),
  T: tensorProperty((x, site) => permute(site, x, undefined, 'T')),
};
