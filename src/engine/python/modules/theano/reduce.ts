// Reductions (sum/prod/mean/max/min/any/all/var/std with Theano's dtypes), argmax/argmin with
// Theano's zero gradient, and cumsum.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { unsupported, valueError } from '../../errors';
import { cumsumValue } from '../../ops/arraylib';
import { castTensor } from '../../ops/coercion';
import { normaliseAxis, reduce, type ReduceKind } from '../../ops/reduce';
import { reshape } from '../../ops/shape';
import { toAxes } from '../../protocols';
import { type LogicalDtype, TensorValue, isFloatDtype, isIntDtype } from '../../tensor';
import type { PyValue } from '../../values';
import { type Bound, boolArg, floatArg, intArg } from '../common';
import { TT, ZERO, dtypeArg } from './arguments';
import { extraOps, fn, method, tensorFunctions } from './tables';

function reduction(kind: ReduceKind, x: TensorValue, a: Bound, site: CallSite, name: string): TensorValue {
  const axes = toAxes(a.axis);
  const keep = boolArg(a.keepdims);
  let dtype = a.dtype !== undefined && a.dtype !== null ? dtypeArg(a.dtype) : undefined;
  // Theano's mean (and var/std) of an integer tensor is float64
  if (!dtype && (kind === 'mean' || kind === 'var' || kind === 'std') && !isFloatDtype(x.dtype)) dtype = 'float64';
  if ((kind === 'max' || kind === 'min') && x.size === 0)
    throw valueError(
      `zero-size array to reduction operation ${kind === 'max' ? 'maximum' : 'minimum'} which has no identity`,
    );
  return reduce(site, kind, x, axes, keep, {
    opName: name,
    dtype,
    correction: a.ddof === undefined ? undefined : floatArg(a.ddof),
  });
}

const REDUCTIONS: [string, ReduceKind, readonly string[]][] = [
  ['sum', 'sum', ['axis=None', 'dtype=None', 'keepdims=False', 'acc_dtype=None']],
  ['prod', 'prod', ['axis=None', 'dtype=None', 'keepdims=False', 'acc_dtype=None', 'no_zeros_in_input=False']],
  ['mean', 'mean', ['axis=None', 'dtype=None', 'keepdims=False', 'acc_dtype=None']],
  ['max', 'max', ['axis=None', 'keepdims=False']],
  ['min', 'min', ['axis=None', 'keepdims=False']],
  ['any', 'any', ['axis=None', 'keepdims=False']],
  ['all', 'all', ['axis=None', 'keepdims=False']],
  ['var', 'var', ['axis=None', 'ddof=0', 'keepdims=False', 'corrected=False']],
  ['std', 'std', ['axis=None', 'ddof=0', 'keepdims=False', 'corrected=False']],
];
for (const [name, kind, spec] of REDUCTIONS) {
  const first = ['max', 'min', 'any', 'all'].includes(name) ? 'x' : 'input';
  const fnSpec =
    name === 'mean'
      ? ['input', 'axis=None', 'dtype=None', 'op=False', 'keepdims=False', 'acc_dtype=None']
      : [first, ...spec];
  fn(name, fnSpec, (a, site) => reduction(kind, TT(site, a[first]), a, site, name));
  method(name, spec, (x, a, site) => reduction(kind, x, a, site, name));
}

/** argmax/argmin: int64 indices, Theano's zero gradient. axis=None indexes the flattened tensor. */
function argExtremum(
  site: CallSite,
  kind: 'argmax' | 'argmin',
  x: TensorValue,
  axisValue: PyValue,
  keepdims: boolean,
): TensorValue {
  const axes = toAxes(axisValue);
  if (axes && axes.length > 1) throw unsupported(`theano.tensor.${kind} over several axes`);
  const dim = axes === undefined ? undefined : normaliseAxis(axes[0], x.rank);
  if (x.size === 0) throw valueError(`attempt to get ${kind} of an empty sequence`);
  const input = x.dtype === 'bool' ? castTensor(site, x, 'int32') : x;
  return site.rt.apply(
    site,
    kind,
    [input],
    ([t]) => {
      const flat = dim === undefined ? tf.reshape(t, [-1]) : t;
      let out = kind === 'argmax' ? tf.argMax(flat, dim ?? 0) : tf.argMin(flat, dim ?? 0);
      if (keepdims)
        out =
          dim === undefined
            ? tf.reshape(
                out,
                t.shape.map(() => 1),
              )
            : tf.expandDims(out, dim);
      return out;
    },
    {
      kind: { category: 'argreduction', reducer: kind, axis: dim ?? null, keepdims },
      dtype: 'int64',
      gradient: ZERO,
    },
  );
}
for (const kind of ['argmax', 'argmin'] as const) {
  fn(kind, ['x', 'axis=None', 'keepdims=False'], (a, site) =>
    argExtremum(site, kind, TT(site, a.x), a.axis, boolArg(a.keepdims)),
  );
  method(kind, ['axis=None', 'keepdims=False'], (x, a, site) =>
    argExtremum(site, kind, x, a.axis, boolArg(a.keepdims)),
  );
}

for (const [name, axisDefault] of [['cumsum', 'axis=None']] as const) {
  const impl = (x: TensorValue, axisValue: PyValue, site: CallSite) => {
    const input = axisValue === null ? reshape(site, x, [-1], 'flatten') : x;
    const axis = axisValue === null ? 0 : normaliseAxis(intArg(axisValue), x.rank);
    const dtype: LogicalDtype =
      input.dtype === 'bool' || (isIntDtype(input.dtype) && input.dtype !== 'int64') ? 'int64' : input.dtype;
    return cumsumValue(site, input, axis, dtype);
  };
  fn(name, ['x', axisDefault], (a, site) => impl(TT(site, a.x), a.axis, site));
  extraOps.set(name, tensorFunctions.get(name)!);
  method(name, [axisDefault], (x, a, site) => impl(x, a.axis, site));
}
