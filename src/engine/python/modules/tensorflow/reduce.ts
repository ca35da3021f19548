// Reductions: tf.reduce_* (TF's integer mean, bool-only any/all, float-only std/variance/logsumexp),
// argmax/argmin (int64 by default, no gradient) and count_nonzero.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { invalidArgumentError, typeError } from '../../errors';
import { reductionKind } from '../../opKinds';
import { reduce, type ReduceKind } from '../../ops/reduce';
import { reduceExtreme } from '../../ops/select';
import { truthy } from '../../protocols';
import { type TensorValue, isFloatDtype } from '../../tensor';
import type { PyValue } from '../../values';
import { recordLegacyApi } from '../../legacyApi';
import { T, requireBool, requireNumeric, tfAxes, tfAxis, tfDtype } from './arguments';
import { TOP_MATH, fn } from './tables';

export const REDUCE_KINDS: Record<string, ReduceKind> = {
  reduce_sum: 'sum',
  reduce_mean: 'mean',
  reduce_max: 'max',
  reduce_min: 'min',
  reduce_prod: 'prod',
  reduce_any: 'any',
  reduce_all: 'all',
  reduce_logsumexp: 'logsumexp',
  reduce_std: 'std',
  reduce_variance: 'var',
};

/** tf.reduce_*(input_tensor, axis=None, keepdims=False). */
export function tfReduce(site: CallSite, name: string, value: PyValue, axis: PyValue, keepdims: boolean): TensorValue {
  const kind = REDUCE_KINDS[name];
  const x = T(site, value);
  if (kind === 'any' || kind === 'all') requireBool(x, 'input');
  else if (x.dtype === 'bool') {
    throw typeError(
      "Value passed to parameter 'input' has DataType bool not in list of allowed values: " +
        'float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64',
    );
  }
  if ((kind === 'std' || kind === 'var' || kind === 'logsumexp') && !isFloatDtype(x.dtype)) {
    throw typeError(`Input must be either real or complex. Received integer type ${x.dtype}.`);
  }
  const dims = tfAxes(axis, x.rank, name);
  const opKind = reductionKind(kind, dims, keepdims);
  if (dims !== undefined && dims.length === 0) {
    return site.rt.apply(site, name, [x], ([t]) => tf.clone(t), {
      kind: opKind,
      dtype: x.dtype,
      gradient: kind === 'any' || kind === 'all' ? 'cut' : 'flow',
    });
  }
  if (kind === 'mean' && !isFloatDtype(x.dtype)) {
    // integer mean: the sum divided with truncation, still an integer (TF's Mean kernel)
    const count = (dims ?? x.shape.map((_, i) => i)).reduce((n, d) => n * x.shape[d], 1);
    return site.rt.apply(
      site,
      name,
      [x],
      ([t]) => {
        const q = tf.div(tf.cast(tf.sum(t, dims, keepdims), 'float32'), Math.max(count, 1));
        return tf.cast(tf.mul(tf.sign(q), tf.floor(tf.abs(q))), 'int32');
      },
      { kind: opKind, dtype: x.dtype, gradient: 'cut' },
    );
  }
  if (kind === 'max' || kind === 'min') {
    if (x.size === 0) throw invalidArgumentError(`${name} of an empty tensor`);
    const plain = kind === 'max' ? tf.max : tf.min;
    const extreme = (t: tf.Tensor) =>
      isFloatDtype(x.dtype) ? reduceExtreme(t, kind, dims, keepdims) : plain(t, dims, keepdims);
    return site.rt.apply(site, name, [x], ([t]) => extreme(t), { kind: opKind, dtype: x.dtype });
  }
  return reduce(site, kind, x, dims, keepdims, { opName: name, correction: 0 });
}

export function tfArgReduce(
  site: CallSite,
  kind: 'argmax' | 'argmin',
  value: PyValue,
  axis: PyValue,
  outputType: PyValue,
): TensorValue {
  const x = T(site, value);
  requireNumeric(x, kind === 'argmax' ? 'ArgMax' : 'ArgMin');
  const dtype = tfDtype(outputType) ?? 'int64';
  if (x.rank === 0) throw invalidArgumentError(`${kind}: Expected a tensor of rank at least 1`);
  const a = tfAxis(axis ?? 0n, x.rank, kind);
  return site.rt.apply(site, kind, [x], ([t]) => (kind === 'argmax' ? tf.argMax(t, a) : tf.argMin(t, a)), {
    kind: { category: 'argreduction', reducer: kind, axis: a, keepdims: false },
    dtype,
    gradient: 'cut',
  });
}

function countNonzero(
  site: CallSite,
  value: PyValue,
  axis: PyValue,
  keepdims: boolean,
  dtypeValue: PyValue,
): TensorValue {
  const x = T(site, value);
  const dims = tfAxes(axis, x.rank, 'count_nonzero');
  const dtype = tfDtype(dtypeValue) ?? 'int64';
  return site.rt.apply(
    site,
    'count_nonzero',
    [x],
    ([t]) => {
      const nz = tf.cast(x.dtype === 'bool' ? t : tf.notEqual(t, 0), 'int32');
      return dims && dims.length === 0 ? nz : tf.sum(nz, dims, keepdims);
    },
    { kind: reductionKind('count_nonzero', dims, keepdims), dtype, gradient: 'cut' },
  );
}

// TF 1's keep_dims= and reduction_indices= still run (as TF 1.x ran them), recorded as TF 1 API.
for (const name of Object.keys(REDUCE_KINDS)) {
  fn(
    TOP_MATH,
    name,
    ['input_tensor', 'axis=None', 'keepdims=None', 'name=None', 'reduction_indices=None', 'keep_dims=None'],
    (a, site) => {
      if (a.keep_dims !== null) recordLegacyApi(site, `tf.${name}(keep_dims=)`, `${name}(keepdims=)`);
      if (a.reduction_indices !== null) recordLegacyApi(site, `tf.${name}(reduction_indices=)`, `${name}(axis=)`);
      return tfReduce(site, name, a.input_tensor, a.axis ?? a.reduction_indices, truthy(a.keepdims ?? a.keep_dims));
    },
    `tf.math.${name}`,
  );
}
fn(TOP_MATH, 'argmax', ['input', 'axis=None', 'output_type=None', 'name=None'], (a, site) =>
  tfArgReduce(site, 'argmax', a.input, a.axis, a.output_type),
);
fn(TOP_MATH, 'argmin', ['input', 'axis=None', 'output_type=None', 'name=None'], (a, site) =>
  tfArgReduce(site, 'argmin', a.input, a.axis, a.output_type),
);
fn(TOP_MATH, 'count_nonzero', ['input', 'axis=None', 'keepdims=None', 'dtype=None', 'name=None'], (a, site) =>
  countNonzero(site, a.input, a.axis, truthy(a.keepdims), a.dtype),
);
