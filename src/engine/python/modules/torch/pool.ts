// Pooling: F.max_pool1d/2d/3d, F.avg_pool1d/2d/3d and the nn.MaxPool*d / nn.AvgPool*d modules, with
// torch's arguments (an int or a tuple per spatial axis; stride defaults to the kernel size).
import type { CallSite } from '../../callsite';
import { runtimeError } from '../../errors';
import { type PoolWindow, avgPool, maxPool } from '../../ops/pool';
import { toAxes, truthy } from '../../protocols';
import { PyTuple, type PyValue } from '../../values';
import { type Bound, def, intArg } from '../common';
import { T } from './arguments';
import { functional } from './functional';
import { nativeModule, nn } from './nn';

/** An int or a tuple of `spatial` ints, as torch's _single/_pair/_triple read them. */
function perAxis(value: PyValue, spatial: number, what: string): number[] {
  const values = toAxes(value, what) ?? [];
  if (values.length === 1) return Array(spatial).fill(values[0]);
  if (values.length !== spatial)
    throw runtimeError(`${what} must either be a single int, or a tuple of ${spatial} ints`);
  return values;
}

function windowOf(a: Bound, spatial: number, dilation: PyValue): PoolWindow {
  const kernel = perAxis(a.kernel_size, spatial, 'kernel_size');
  const strideGiven = a.stride !== null && !(a.stride instanceof PyTuple && a.stride.items.length === 0);
  return {
    kernel,
    stride: strideGiven ? perAxis(a.stride, spatial, 'stride') : kernel,
    padding: perAxis(a.padding, spatial, 'padding'),
    dilation: perAxis(dilation, spatial, 'dilation'),
    ceilMode: truthy(a.ceil_mode),
  };
}

function maxPooling(a: Bound, site: CallSite, spatial: number, name: string): PyValue {
  const result = maxPool(site, T(site, a.input), windowOf(a, spatial, a.dilation), name, truthy(a.return_indices));
  return Array.isArray(result) ? new PyTuple(result) : result;
}

function avgPooling(a: Bound, site: CallSite, spatial: number, name: string): PyValue {
  const divisorOverride =
    a.divisor_override === null || a.divisor_override === undefined ? undefined : intArg(a.divisor_override);
  if (divisorOverride === 0) throw runtimeError('divisor must be not zero');
  return avgPool(
    site,
    T(site, a.input),
    windowOf(a, spatial, 1n),
    { countIncludePad: truthy(a.count_include_pad), divisorOverride },
    name,
  );
}

const MAX_SPEC = ['kernel_size', 'stride=None', 'padding=0', 'dilation=1', 'ceil_mode=False', 'return_indices=False'];
const MAX_MODULE_SPEC = [
  'kernel_size',
  'stride=None',
  'padding=0',
  'dilation=1',
  'return_indices=False',
  'ceil_mode=False',
];
const AVG_SPEC = ['kernel_size', 'stride=None', 'padding=0', 'ceil_mode=False', 'count_include_pad=True'];

for (const spatial of [1, 2, 3]) {
  const maxName = `max_pool${spatial}d`;
  const avgName = `avg_pool${spatial}d`;
  const avgSpec = spatial === 1 ? AVG_SPEC : [...AVG_SPEC, 'divisor_override=None'];
  functional.set(
    maxName,
    def(`F.${maxName}`, ['input', ...MAX_SPEC], (a, site) => maxPooling(a, site, spatial, maxName)),
  );
  functional.set(
    avgName,
    def(`F.${avgName}`, ['input', ...avgSpec], (a, site) => avgPooling(a, site, spatial, avgName)),
  );
  nn.set(
    `MaxPool${spatial}d`,
    nativeModule(`MaxPool${spatial}d`, MAX_MODULE_SPEC, (c, [x], site) =>
      maxPooling({ ...c, input: x }, site, spatial, maxName),
    ),
  );
  nn.set(
    `AvgPool${spatial}d`,
    nativeModule(`AvgPool${spatial}d`, avgSpec, (c, [x], site) =>
      avgPooling({ ...c, input: x }, site, spatial, avgName),
    ),
  );
}
