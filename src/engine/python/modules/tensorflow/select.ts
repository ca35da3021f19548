// Ops that bound, choose, convert or pass values through: tf.clip_by_value, tf.where, tf.cast,
// tf.stop_gradient and tf.identity.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { invalidArgumentError, typeError, valueError } from '../../errors';
import { clipKind } from '../../opKinds';
import { broadcastShapes, castTensor } from '../../ops/coercion';
import { binaryFunction } from '../../ops/elementwise';
import { selectMaximum, selectMinimum, selectWhere } from '../../ops/select';
import type { TensorValue } from '../../tensor';
import type { PyValue } from '../../values';
import { T, TF_FLAVOUR, asTf, convertTo, tfDtype, tfOperands } from './arguments';
import { fn, top } from './tables';

/** tf.clip_by_value: minimum(t, max) then maximum(·, min); the gradient passes at the bounds. */
export function clipByValue(site: CallSite, value: PyValue, low: PyValue, high: PyValue): TensorValue {
  const x = T(site, value);
  const hi = convertTo(site, high, x.dtype);
  const lo = convertTo(site, low, x.dtype);
  const upper = binaryFunction(site, 'clip_max', clipKind('max'), x, hi, selectMinimum, TF_FLAVOUR);
  const lower = binaryFunction(site, 'clip_min', clipKind('min'), upper, lo, selectMaximum, TF_FLAVOUR);
  if (lower.shape.join(',') !== x.shape.join(',')) {
    throw invalidArgumentError(
      `clip_by_value: the bounds of shape [${lo.shape.join(', ')}] and ` +
        `[${hi.shape.join(', ')}] would broadcast the values of shape [${x.shape.join(', ')}] to ` +
        `[${lower.shape.join(', ')}]`,
    );
  }
  return lower;
}

/** tf.where(condition, x, y): condition must be bool; x and y share a dtype and broadcast. */
export function tfWhere(site: CallSite, condition: PyValue, a: PyValue, b: PyValue): TensorValue {
  const cond = T(site, condition);
  if (cond.dtype !== 'bool') throw invalidArgumentError(`tf.where: condition must be a bool tensor, got ${cond.dtype}`);
  if (a === null && b === null) {
    // indices of the true entries, int64 [n, rank]
    const data = cond.tensor.dataSync();
    const rows: number[][] = [];
    const strides = cond.shape.map((_, i) => cond.shape.slice(i + 1).reduce((p, d) => p * d, 1));
    for (let i = 0; i < data.length; i++)
      if (data[i]) rows.push(strides.map((s, k) => Math.floor(i / s) % cond.shape[k]));
    return site.rt.apply(site, 'where', [cond], () => tf.tensor2d(rows.flat(), [rows.length, cond.rank], 'int32'), {
      kind: { category: 'other', reason: 'indices of the true entries of a condition' },
      dtype: 'int64',
      gradient: 'cut',
    });
  }
  if (a === null || b === null) throw valueError('x and y must both be non-None or both be None.');
  const [x, y] = tfOperands(site, 'SelectV2', a, b);
  const notBroadcastable = () =>
    invalidArgumentError(
      `condition [${cond.shape.join(',')}], then ` +
        `[${x.shape.join(',')}], and else [${y.shape.join(',')}] must be broadcastable [Op:SelectV2]`,
    );
  const shape = broadcastShapes(broadcastShapes(cond.shape, x.shape, notBroadcastable), y.shape, notBroadcastable);
  site.rt.guard.checkTensorElements(shape, 'the result of where');
  const broadcast = [cond, x, y].some((t) => t.shape.join(',') !== shape.join(','));
  return site.rt.apply(site, 'where', [cond, x, y], ([m, p, q]) => selectWhere(m, p, q), {
    kind: { category: 'select', condition: 0 },
    dtype: x.dtype,
    broadcast,
  });
}

export function tfCast(site: CallSite, value: PyValue, dtypeValue: PyValue): TensorValue {
  const dtype = tfDtype(dtypeValue);
  if (!dtype) throw typeError('tf.cast: dtype must be given');
  const x = T(site, value);
  return asTf(castTensor(site, x, dtype, 'cast'));
}

export function stopGradient(site: CallSite, value: PyValue): TensorValue {
  const x = T(site, value);
  return site.rt.apply(site, 'stop_gradient', [x], ([t]) => tf.clone(t), {
    kind: { category: 'detach' },
    dtype: x.dtype,
    gradient: 'cut',
  });
}

fn([top], 'clip_by_value', ['t', 'clip_value_min', 'clip_value_max', 'name=None'], (a, site) =>
  clipByValue(site, a.t, a.clip_value_min, a.clip_value_max),
);
fn([top], 'where', ['condition', 'x=None', 'y=None', 'name=None'], (a, site) => tfWhere(site, a.condition, a.x, a.y));
/** tf.cast (tf.dtypes.cast is the same function). */
export const CAST = fn([top], 'cast', ['x', 'dtype', 'name=None'], (a, site) => tfCast(site, a.x, a.dtype));
fn([top], 'stop_gradient', ['input', 'name=None'], (a, site) => stopGradient(site, a.input));
fn([top], 'identity', ['input', 'name=None'], (a, site) => {
  const x = T(site, a.input);
  return site.rt.apply(site, 'identity', [x], ([t]) => tf.clone(t), { kind: { category: 'copy' }, dtype: x.dtype });
});
