// Tensor construction: tf.constant, convert_to_tensor, ones/zeros(_like), fill, range, eye,
// linspace, and tf.Variable's value (a copy the loss's gradient never reaches).
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { invalidArgumentError, typeError } from '../../errors';
import { castTensor } from '../../ops/coercion';
import { arange, broadcastTo, eye, filled, linspace, reshape, zerosLike } from '../../ops/shape';
import { isTensor, toFloat, toInt } from '../../protocols';
import { type LogicalDtype, type TensorValue, isFloatDtype } from '../../tensor';
import type { PyValue } from '../../values';
import { T, TF_FLAVOUR, asTf, convertTo, isTfTensor, shapeOf, tfDtype } from './arguments';
import { fn, linalg, top } from './tables';

function tfFill(site: CallSite, dims: PyValue, value: PyValue): TensorValue {
  const shape = shapeOf(dims);
  const v = T(site, value);
  if (v.rank !== 0) throw invalidArgumentError('value must be a scalar');
  if (v.requiresGrad) return broadcastTo(site, v, shape, 'fill');
  return filled(site, shape, toFloat(v), v.dtype, TF_FLAVOUR, 'fill');
}

export function tfConstant(site: CallSite, value: PyValue, dtypeValue: PyValue, shapeValue: PyValue): TensorValue {
  const dtype = tfDtype(dtypeValue);
  // an eager tensor passes through unchanged (its gradient too); other values take the dtype
  let x = convertTo(site, value, dtype);
  if (shapeValue !== null) {
    const shape = shapeOf(shapeValue);
    if (x.size === 1)
      x =
        x.rank === 0 && !x.requiresGrad
          ? filled(site, shape, toFloat(x), x.dtype, TF_FLAVOUR, 'constant')
          : broadcastTo(site, reshape(site, x, []), shape, 'constant');
    else if (shape.reduce((p, d) => p * d, 1) === x.size) x = reshape(site, x, shape, 'constant');
    else
      throw typeError(
        'Eager execution of tf.constant with unsupported shape. ' +
          `Tried to convert a tensor with ${x.size} elements to shape [${shape.join(', ')}]`,
      );
  }
  return x;
}

/** tf.Variable / K.variable: a copy of the value (the loss's gradient never reaches it). */
export function variableOf(site: CallSite, value: PyValue, dtype: LogicalDtype | undefined): TensorValue {
  const x = isTensor(value) ? asTf(value) : convertTo(site, value, dtype);
  const cast = dtype && x.dtype !== dtype ? castTensor(site, x, dtype) : x;
  return site.rt.apply(site, 'Variable', [cast], ([t]) => tf.clone(t), {
    kind: { category: 'detach' },
    dtype: cast.dtype,
    gradient: 'cut',
    flavour: TF_FLAVOUR,
  });
}

function tfRange(site: CallSite, start: PyValue, limit: PyValue, delta: PyValue, dtypeValue: PyValue): TensorValue {
  const [s, e] = limit === null ? [0, toFloat(start)] : [toFloat(start), toFloat(limit)];
  const anyFloat = [start, limit, delta].some((v) => typeof v === 'number' || (isTensor(v) && isFloatDtype(v.dtype)));
  const dtype = tfDtype(dtypeValue) ?? (anyFloat ? 'float32' : 'int32');
  const step = toFloat(delta);
  if (step === 0) throw invalidArgumentError('Requires delta != 0: 0 [Op:Range]');
  return arange(site, s, e, step, dtype, TF_FLAVOUR);
}

function creation(site: CallSite, shape: PyValue, value: number, dtypeValue: PyValue, name: string): TensorValue {
  return filled(site, shapeOf(shape), value, tfDtype(dtypeValue) ?? 'float32', TF_FLAVOUR, name);
}

export function onesLike(site: CallSite, value: PyValue, dtypeValue: PyValue, fill: number, name: string): TensorValue {
  const x = T(site, value);
  return zerosLike(site, x, fill, tfDtype(dtypeValue) ?? x.dtype, name);
}

fn([top], 'ones', ['shape', 'dtype=None', 'name=None'], (a, site) => creation(site, a.shape, 1, a.dtype, 'ones'));
fn([top], 'zeros', ['shape', 'dtype=None', 'name=None'], (a, site) => creation(site, a.shape, 0, a.dtype, 'zeros'));
fn([top], 'ones_like', ['input', 'dtype=None', 'name=None'], (a, site) =>
  onesLike(site, a.input, a.dtype, 1, 'ones_like'),
);
fn([top], 'zeros_like', ['input', 'dtype=None', 'name=None'], (a, site) =>
  onesLike(site, a.input, a.dtype, 0, 'zeros_like'),
);
fn([top], 'fill', ['dims', 'value', 'name=None'], (a, site) => tfFill(site, a.dims, a.value));
fn([top], 'constant', ['value', 'dtype=None', 'shape=None', "name='Const'"], (a, site) =>
  tfConstant(site, a.value, a.dtype, a.shape),
);
fn([top], 'convert_to_tensor', ['value', 'dtype=None', 'dtype_hint=None', 'name=None'], (a, site) => {
  const dtype = tfDtype(a.dtype);
  if (dtype || isTensor(a.value)) return convertTo(site, a.value, dtype);
  const hint = tfDtype(a.dtype_hint);
  if (hint) {
    try {
      return convertTo(site, a.value, hint);
    } catch {
      return T(site, a.value);
    }
  }
  return T(site, a.value);
});
fn([top], 'range', ['start', 'limit=None', 'delta=1', 'dtype=None', "name='range'"], (a, site) =>
  tfRange(site, a.start, a.limit, a.delta, a.dtype),
);
fn([top, linalg], 'eye', ['num_rows', 'num_columns=None', 'batch_shape=None', 'dtype=None', 'name=None'], (a, site) => {
  const n = toInt(a.num_rows);
  const m = a.num_columns === null ? n : toInt(a.num_columns);
  return eye(site, n, m, tfDtype(a.dtype) ?? 'float32', TF_FLAVOUR);
});
fn([top], 'linspace', ['start', 'stop', 'num', 'name=None', 'axis=0'], (a, site) =>
  linspace(site, toFloat(a.start), toFloat(a.stop), toInt(a.num), 'float32', TF_FLAVOUR),
);
fn([top], 'is_tensor', ['x'], (a) => isTfTensor(a.x));
