// Construction: ones/zeros/empty/full (and *_like), tensor/as_tensor/from_numpy and the legacy
// constructors, arange, linspace, eye, numel, bincount and histc, and the no-op seeding calls.
import * as tf from '@tensorflow/tfjs';
import { runtimeError } from '../../errors';
import { bincount } from '../../ops/bincount';
import { asTensor, castTensor } from '../../ops/coercion';
import { TORCH_SCALAR_NAMES } from '../../ops/nn';
import { arange, eye, filled, linspace, zerosLike } from '../../ops/shape';
import { isTensor, toShape } from '../../protocols';
import { TensorValue, isFloatDtype } from '../../tensor';
import { BuiltinFunction } from '../../values';
import { floatArg, intArg, parseDtype } from '../common';
import { FLAVOUR, T, shapeArgs } from './arguments';
import { both, fn, torchFunctions } from './tables';

function creation(name: string, value: number): void {
  fn(name, ['*size', 'out=None', 'dtype=None', 'layout=None', 'device=None', 'requires_grad=False'], (a, site) =>
    filled(site, shapeArgs(a, 'size'), value, parseDtype(a.dtype, FLAVOUR) ?? 'float32', FLAVOUR, name),
  );
  // torch also takes the shape as a keyword: torch.zeros(size=(2, 3), dtype=...) (MONAI's one_hot).
  const bySize = torchFunctions.get(name) as BuiltinFunction;
  torchFunctions.set(
    name,
    new BuiltinFunction(bySize.name, (args, site) => {
      const size = args.keywords.get('size');
      if (size === undefined || args.positional.length) return bySize.impl(args, site);
      const keywords = new Map(args.keywords);
      keywords.delete('size');
      return bySize.impl({ positional: [size], keywords }, site);
    }),
  );
}
creation('ones', 1);
creation('zeros', 0);
creation('empty', 0);
fn(
  'full',
  ['size', 'fill_value', '*', 'out=None', 'dtype=None', 'layout=None', 'device=None', 'requires_grad=False'],
  (a, site) => {
    const dtype =
      parseDtype(a.dtype, FLAVOUR) ??
      (typeof a.fill_value === 'bigint' ? 'int64' : typeof a.fill_value === 'boolean' ? 'bool' : 'float32');
    return filled(site, toShape(a.size), floatArg(a.fill_value), dtype, FLAVOUR);
  },
);
for (const [name, value] of [
  ['ones_like', 1],
  ['zeros_like', 0],
  ['empty_like', 0],
] as const) {
  fn(
    name,
    ['input', '*', 'dtype=None', 'layout=None', 'device=None', 'requires_grad=False', 'memory_format=None'],
    (a, site) => zerosLike(site, T(site, a.input), value, parseDtype(a.dtype, FLAVOUR), name),
  );
}
fn(
  'full_like',
  ['input', 'fill_value', '*', 'dtype=None', 'layout=None', 'device=None', 'requires_grad=False', 'memory_format=None'],
  (a, site) => zerosLike(site, T(site, a.input), floatArg(a.fill_value), parseDtype(a.dtype, FLAVOUR)),
);
// (torch.Tensor(...) and the legacy torch.FloatTensor(...) classes are in dtypes.ts and legacy.ts)
for (const name of ['tensor', 'as_tensor', 'from_numpy']) {
  fn(name, ['data', '*', 'dtype=None', 'device=None', 'requires_grad=False', 'pin_memory=False'], (a, site) => {
    const dtype = parseDtype(a.dtype, FLAVOUR);
    if (isTensor(a.data)) {
      // torch.tensor(t) copies and detaches; as_tensor/from_numpy share (numpy arrays never require grad)
      const source = a.data;
      const converted = dtype ? castTensor(site, source, dtype) : source;
      if (name === 'tensor') {
        return site.rt.apply(site, 'tensor', [converted], ([t]) => tf.clone(t), {
          kind: { category: 'detach' },
          dtype: converted.dtype,
          gradient: 'cut',
          flavour: FLAVOUR,
        });
      }
      return new TensorValue(
        converted.tensor,
        converted.dtype,
        FLAVOUR,
        converted.origin,
        converted.requiresGrad,
        converted.producer,
      );
    }
    return asTensor(site, a.data, FLAVOUR, dtype);
  });
}
fn(
  'arange',
  ['start', 'end=None', 'step=1', '*', 'out=None', 'dtype=None', 'layout=None', 'device=None', 'requires_grad=False'],
  (a, site) => {
    const [start, end] = a.end === null ? [0, floatArg(a.start)] : [floatArg(a.start), floatArg(a.end)];
    const anyFloat = [a.start, a.end, a.step].some((v) => typeof v === 'number');
    return arange(
      site,
      start,
      end,
      floatArg(a.step),
      parseDtype(a.dtype, FLAVOUR) ?? (anyFloat ? 'float32' : 'int64'),
      FLAVOUR,
    );
  },
);
fn(
  'linspace',
  ['start', 'end', 'steps', '*', 'out=None', 'dtype=None', 'layout=None', 'device=None', 'requires_grad=False'],
  (a, site) =>
    linspace(
      site,
      floatArg(a.start),
      floatArg(a.end),
      intArg(a.steps),
      parseDtype(a.dtype, FLAVOUR) ?? 'float32',
      FLAVOUR,
    ),
);
fn(
  'eye',
  ['n', 'm=None', '*', 'out=None', 'dtype=None', 'layout=None', 'device=None', 'requires_grad=False'],
  (a, site) =>
    eye(
      site,
      intArg(a.n),
      a.m === null ? intArg(a.n) : intArg(a.m),
      parseDtype(a.dtype, FLAVOUR) ?? 'float32',
      FLAVOUR,
    ),
);
fn('is_tensor', ['obj'], (a) => isTensor(a.obj));
fn('numel', ['input'], (a, site) => BigInt(T(site, a.input).size));
both('bincount', ['weights=None', 'minlength=0'], (x, a, site) => {
  if (isFloatDtype(x.dtype))
    throw runtimeError(`"bincount_cpu" not implemented for '${x.dtype === 'float64' ? 'Double' : 'Float'}'`);
  const values = Array.from(x.tensor.dataSync() as ArrayLike<number>, Number);
  if (x.rank !== 1 || values.some((v) => v < 0))
    throw runtimeError('bincount only supports 1-d non-negative integral inputs.');
  const minlength = intArg(a.minlength, 'minlength');
  if (minlength < 0) throw runtimeError('minlength should be >= 0');
  const weights = a.weights === null ? null : T(site, a.weights);
  if (weights && (weights.rank !== 1 || weights.size !== x.size))
    throw runtimeError('weights should be 1-d and have the same length as input');
  return bincount(
    site,
    x,
    values,
    minlength,
    weights,
    weights && isFloatDtype(weights.dtype) ? weights.dtype : 'float64',
  );
});
/**
 * torch.histc(input, bins, min, max) as torch 1.13's CPU kernel bins, in the input's precision:
 * min == max takes the data's range (widened by 1 each way when it is one value), an entry x in
 * [min, max] counts in bin trunc((x − min) / (max − min) · bins), x == max in the last bin; entries
 * outside are left out. Counts in the input's dtype; no gradient.
 */
both('histc', ['bins=100', 'min=0', 'max=0'], (x, a, site) => {
  if (!isFloatDtype(x.dtype))
    throw runtimeError(`"histogram_cpu" not implemented for '${TORCH_SCALAR_NAMES[x.dtype]}'`);
  const bins = intArg(a.bins, 'bins');
  if (bins <= 0) throw runtimeError(`torch.histogram(): bins must be > 0, but got ${bins} for dimension 0`);
  const round = x.dtype === 'float32' ? Math.fround : (v: number) => v;
  const values = Array.from(x.tensor.dataSync() as ArrayLike<number>, Number);
  let [low, high] = [round(floatArg(a.min)), round(floatArg(a.max))];
  if (low === high && values.length) [low, high] = [Math.min(...values), Math.max(...values)];
  if (low === high) [low, high] = [round(low - 1), round(high + 1)];
  const text = (v: number) => (Number.isFinite(v) ? String(v) : v > 0 ? 'inf' : '-inf');
  if (!Number.isFinite(low) || !Number.isFinite(high))
    throw runtimeError(`torch.histc: range of [${text(low)}, ${text(high)}] is not finite`);
  if (!(low < high)) throw runtimeError('torch.histc: max must be larger than min');
  site.rt.guard.checkTensorElements([bins], 'histc');
  const counts = new Float32Array(bins);
  const width = round(high - low);
  for (const v of values) {
    if (!(v >= low && v <= high)) continue;
    counts[Math.min(Math.trunc(round(round(round(v - low) / width) * bins)), bins - 1)]++;
  }
  return site.rt.apply(site, 'histc', [x], () => tf.tensor(counts, [bins], 'float32'), {
    kind: { category: 'bincount', weighted: false },
    dtype: x.dtype,
    gradient: 'cut',
  });
});

fn('manual_seed', ['seed'], () => null);
