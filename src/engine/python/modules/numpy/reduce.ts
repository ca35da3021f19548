// Reductions with numpy's dtypes and errors: sum/prod/mean/max/min/any/all, var/std (ddof),
// argmax/argmin, the nan* reductions, average, count_nonzero and cumsum.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { typeError, valueError } from '../../errors';
import { reductionKind, unaryKind } from '../../opKinds';
import { cumsumValue, evenExtremum } from '../../ops/arraylib';
import { castTensor } from '../../ops/coercion';
import { binaryOp } from '../../ops/elementwise';
import { argReduce, reduce, type ReduceKind } from '../../ops/reduce';
import { broadcastTo, filled } from '../../ops/shape';
import { truthy } from '../../protocols';
import { selectWhere } from '../../ops/select';
import { detach } from '../../runtime';
import { type TensorValue, isFloatDtype, isIntDtype } from '../../tensor';
import { PyTuple } from '../../values';
import { boolArg, floatArg } from '../common';
import { FLAVOUR, N, dtypeArg, noOut, npAxes, npAxis, npReshape } from './arguments';
import { both, fn, npFunctions } from './tables';

/** numpy max/min: the gradient of tied extrema is shared evenly (as torch.amax, the golden shim). */
export function extremum(
  site: CallSite,
  kind: 'max' | 'min',
  x: TensorValue,
  axes: number[] | undefined,
  keepdims: boolean,
  opName: string,
): TensorValue {
  if (x.size === 0 && (axes === undefined || axes.some((a) => x.shape[a] === 0))) {
    throw valueError(
      `zero-size array to reduction operation ${kind === 'max' ? 'maximum' : 'minimum'} which has no identity`,
    );
  }
  if (!isFloatDtype(x.dtype)) return reduce(site, kind, x, axes, keepdims, { opName });
  return site.rt.apply(site, opName, [x], ([t]) => evenExtremum(t, kind, axes, keepdims), {
    kind: reductionKind(kind, axes, keepdims),
    dtype: x.dtype,
  });
}

function reduction(name: string, kind: ReduceKind, withDtype: boolean): void {
  const spec = withDtype
    ? ['axis=None', 'dtype=None', 'out=None', 'keepdims=False', 'initial=None', 'where=True']
    : ['axis=None', 'out=None', 'keepdims=False', 'initial=None', 'where=True'];
  both(name, spec, (x, a, site) => {
    noOut(a, name);
    const axes = npAxes(a.axis, x.rank);
    const keep = boolArg(a.keepdims);
    if (kind === 'max' || kind === 'min') return extremum(site, kind, x, axes, keep, name);
    return reduce(site, kind, x, axes, keep, { opName: name, dtype: withDtype ? dtypeArg(a.dtype) : undefined });
  });
}
reduction('sum', 'sum', true);
reduction('prod', 'prod', true);
reduction('mean', 'mean', true);
reduction('max', 'max', false);
reduction('min', 'min', false);
reduction('any', 'any', false);
reduction('all', 'all', false);
// Peak to peak: max - min (numpy 1.x; ndarray.ptp left in numpy 2.0). Booleans refuse the subtraction.
both('ptp', ['axis=None', 'out=None', 'keepdims=False'], (x, a, site) => {
  noOut(a, 'ptp');
  if (x.dtype === 'bool')
    throw typeError(
      'numpy boolean subtract, the `-` operator, is not supported, ' +
        'use the bitwise_xor, the `^` operator, or the logical_xor function instead.',
    );
  const axes = npAxes(a.axis, x.rank);
  const keep = boolArg(a.keepdims);
  return binaryOp(site, '-', extremum(site, 'max', x, axes, keep, 'ptp'), extremum(site, 'min', x, axes, keep, 'ptp'));
});
npFunctions.set('amax', npFunctions.get('max')!);
npFunctions.set('amin', npFunctions.get('min')!);
npFunctions.set('product', npFunctions.get('prod')!);

for (const kind of ['var', 'std'] as const) {
  both(kind, ['axis=None', 'dtype=None', 'out=None', 'ddof=0', 'keepdims=False', '*', 'where=True'], (x, a, site) => {
    noOut(a, kind);
    return reduce(site, kind, x, npAxes(a.axis, x.rank), boolArg(a.keepdims), {
      opName: kind,
      correction: floatArg(a.ddof),
      dtype: dtypeArg(a.dtype),
    });
  });
}

for (const kind of ['argmax', 'argmin'] as const) {
  both(kind, ['axis=None', 'out=None', '*', 'keepdims=False'], (x, a, site) => {
    noOut(a, kind);
    if (x.size === 0) throw valueError(`attempt to get ${kind} of an empty sequence`);
    return argReduce(site, kind, x, a.axis === null ? undefined : npAxis(a.axis, x.rank), boolArg(a.keepdims));
  });
}

/** nansum / nanmean: NaNs count as absent (their gradient is zero). */
for (const kind of ['nansum', 'nanmean'] as const) {
  fn(kind, ['a', 'axis=None', 'dtype=None', 'out=None', 'keepdims=False', '*', 'where=True'], (a, site) => {
    noOut(a, kind);
    let x = N(site, a.a);
    const dtype =
      dtypeArg(a.dtype) ??
      (kind === 'nanmean' && !isFloatDtype(x.dtype)
        ? 'float64'
        : kind === 'nansum' && !isFloatDtype(x.dtype)
          ? 'int64'
          : x.dtype);
    if (x.dtype !== dtype) x = castTensor(site, x, dtype);
    const axes = npAxes(a.axis, x.rank);
    const keep = boolArg(a.keepdims);
    return site.rt.apply(
      site,
      kind,
      [x],
      ([t]) => {
        if (t.dtype !== 'float32')
          return kind === 'nansum'
            ? tf.sum(t, axes, keep)
            : tf.div(tf.sum(t, axes, keep), tf.sum(tf.onesLike(t), axes, keep));
        // Masks from a detached copy: TF.js has no gradient for LogicalNot/Equal.
        const present = tf.logicalNot(tf.isNaN(detach(t)));
        const sum = tf.sum(tf.where(present, t, tf.zerosLike(t)), axes, keep);
        return kind === 'nansum' ? sum : tf.div(sum, tf.sum(tf.cast(present, 'float32'), axes, keep));
      },
      { kind: { ...reductionKind(kind === 'nansum' ? 'sum' : 'mean', axes, keep), skipsNan: true }, dtype },
    );
  });
}
for (const kind of ['nanmax', 'nanmin'] as const) {
  fn(kind, ['a', 'axis=None', 'out=None', 'keepdims=False'], (a, site) => {
    noOut(a, kind);
    const x = N(site, a.a);
    const axes = npAxes(a.axis, x.rank);
    const fill = kind === 'nanmax' ? -Infinity : Infinity;
    const filledX = isFloatDtype(x.dtype)
      ? site.rt.apply(site, 'nan_fill', [x], ([t]) => tf.where(tf.isNaN(detach(t)), tf.fill(t.shape, fill), t), {
          kind: unaryKind('nan_to_num'),
          dtype: x.dtype,
        })
      : x;
    return extremum(site, kind === 'nanmax' ? 'max' : 'min', filledX, axes, boolArg(a.keepdims), kind);
  });
}

/** nanvar / nanstd: the variance of the entries that are not NaN (NaNs get no gradient). */
for (const kind of ['nanvar', 'nanstd'] as const) {
  fn(kind, ['a', 'axis=None', 'dtype=None', 'out=None', 'ddof=0', 'keepdims=False', '*', 'where=True'], (a, site) => {
    noOut(a, kind);
    let x = N(site, a.a);
    const dtype = dtypeArg(a.dtype) ?? (isFloatDtype(x.dtype) ? x.dtype : 'float64');
    if (x.dtype !== dtype) x = castTensor(site, x, dtype);
    const axes = npAxes(a.axis, x.rank);
    const keep = boolArg(a.keepdims);
    const ddof = floatArg(a.ddof);
    return site.rt.apply(
      site,
      kind,
      [x],
      ([t]) => {
        // Masks from a detached copy: TF.js has no gradient for LogicalNot/IsNan.
        const present = tf.logicalNot(tf.isNaN(detach(t)));
        const zeros = tf.zerosLike(t);
        const count = tf.sum(tf.cast(present, 'float32'), axes, true);
        // selecting (not masking) gradients: a NaN upstream (the std of an all-NaN row) stays out of t's
        const mean = tf.div(tf.sum(selectWhere(present, t, zeros), axes, true), count);
        const centred = selectWhere(present, tf.sub(t, mean), zeros);
        const kept = tf.div(tf.sum(tf.mul(centred, centred), axes, true), tf.relu(tf.sub(count, ddof)));
        const reduced = axes ? t.shape.filter((_, i) => !axes.includes(i)) : [];
        const variance = keep ? kept : tf.reshape(kept, reduced);
        return kind === 'nanvar' ? variance : tf.sqrt(variance);
      },
      { kind: { ...reductionKind(kind === 'nanvar' ? 'var' : 'std', axes, keep), skipsNan: true }, dtype },
    );
  });
}

fn('average', ['a', 'axis=None', 'weights=None', 'returned=False', '*', 'keepdims=False'], (a, site) => {
  const x = N(site, a.a);
  const axes = npAxes(a.axis, x.rank);
  const keep = boolArg(a.keepdims);
  if (a.weights === null) {
    const mean = reduce(site, 'mean', x, axes, keep, { opName: 'average' });
    return truthy(a.returned)
      ? new PyTuple([
          mean,
          filled(
            site,
            mean.shape,
            axes === undefined ? x.size : axes.reduce((n, d) => n * x.shape[d], 1),
            mean.dtype,
            FLAVOUR,
          ),
        ])
      : mean;
  }
  const w = N(site, a.weights);
  if (w.shape.join(',') !== x.shape.join(',')) {
    if (w.rank !== 1 || axes === undefined || axes.length !== 1 || w.shape[0] !== x.shape[axes[0]]) {
      throw typeError('Axis must be specified when shapes of a and weights differ.');
    }
  }
  const wb =
    w.shape.join(',') === x.shape.join(',')
      ? w
      : npReshape(
          site,
          w,
          x.shape.map((d, i) => (i === axes![0] ? d : 1)),
        );
  const numerator = reduce(site, 'sum', binaryOp(site, '*', x, wb), axes, keep, { opName: 'average' });
  const scale = reduce(site, 'sum', broadcastTo(site, wb, x.shape), axes, keep, { opName: 'average' });
  const avg = binaryOp(site, '/', numerator, scale);
  return truthy(a.returned) ? new PyTuple([avg, scale]) : avg;
});

fn('count_nonzero', ['a', 'axis=None', '*', 'keepdims=False'], (a, site) => {
  const x = N(site, a.a);
  const mask = binaryOp(site, '!=', x, x.dtype === 'bool' ? false : 0n, 'not_equal');
  return reduce(site, 'sum', mask, npAxes(a.axis, x.rank), boolArg(a.keepdims), { opName: 'count_nonzero' });
});

both('cumsum', ['axis=None', 'dtype=None', 'out=None'], (x, a, site) => {
  noOut(a, 'cumsum');
  const input = a.axis === null ? npReshape(site, x, [-1], 'ravel') : x;
  const axis = a.axis === null ? 0 : npAxis(a.axis, x.rank);
  const dtype =
    dtypeArg(a.dtype) ??
    (input.dtype === 'bool' || (isIntDtype(input.dtype) && input.dtype !== 'int64') ? 'int64' : input.dtype);
  return cumsumValue(site, input, axis, dtype);
});
