// Ops driven by integer or boolean indices: tf.gather, tf.gather_nd, tf.boolean_mask and
// tf.one_hot (float32 on a new last axis by default, no gradient).
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { InterpreterError, invalidArgumentError, typeError, valueError } from '../../errors';
import { gatherAlong, indexTensor } from '../../ops/indexing';
import { toFloat, toInt } from '../../protocols';
import { type TensorValue, isIntDtype, storageDtype } from '../../tensor';
import { PySlice, PyTuple, type PyValue } from '../../values';
import { T, isTfTensor, tfAxis, tfDtype } from './arguments';
import { fn, top } from './tables';
import { oneHotAnyDepth } from '../../ops/oneHotAnyDepth';

export function tfOneHot(
  site: CallSite,
  indicesValue: PyValue,
  depthValue: PyValue,
  onValue: PyValue,
  offValue: PyValue,
  axisValue: PyValue,
  dtypeValue: PyValue,
): TensorValue {
  const indices = T(site, indicesValue);
  if (!(
    indices.dtype === 'uint8' ||
    indices.dtype === 'int32' ||
    indices.dtype === 'int64' ||
    indices.dtype === 'int8'
  )) {
    throw typeError(
      `Value passed to parameter 'indices' has DataType ${indices.dtype} ` +
        'not in list of allowed values: uint8, int8, int32, int64 (cast the labels to an integer type first)',
    );
  }
  const depth = toInt(depthValue, 'depth');
  if (depth < 0) throw invalidArgumentError(`depth must be non-negative, got: ${depth}`);
  let dtype = tfDtype(dtypeValue);
  if (!dtype) dtype = isTfTensor(onValue) ? onValue.dtype : isTfTensor(offValue) ? offValue.dtype : 'float32';
  const on = onValue === null ? 1 : toFloat(onValue, 'on_value');
  const off = offValue === null ? 0 : toFloat(offValue, 'off_value');
  const outRank = indices.rank + 1;
  const axis = axisValue === null ? -1 : toInt(axisValue, 'axis');
  if (axis < -1 || axis >= outRank) {
    throw invalidArgumentError(`Expected axis to be -1 or between [0, ${outRank}).  But received: ${axis}`);
  }
  site.rt.guard.checkTensorElements([...indices.shape, depth], 'one_hot');
  const storage = storageDtype(dtype);
  return site.rt.apply(
    site,
    'one_hot',
    [indices],
    ([t]) => {
      // tf.oneHot's dtype argument is not honoured by every backend (wasm writes int bits): build
      // the 0/1 pattern as int32, then on/off values in the wanted storage type.
      const flat = tf.cast(
        oneHotAnyDepth(tf.cast(tf.reshape(t, [-1]), 'int32'), depth),
        storage === 'bool' ? 'int32' : storage,
      );
      const scaled = on === 1 && off === 0 ? flat : tf.add(tf.mul(flat, on - off), off);
      const hot = tf.reshape(scaled, [...indices.shape, depth]);
      if (axis === -1 || axis === indices.rank) return hot;
      const perm = Array.from({ length: indices.rank }, (_, i) => i);
      perm.splice(axis, 0, indices.rank);
      return tf.transpose(hot, perm);
    },
    { kind: { category: 'one_hot', depth, axis: axis === -1 ? indices.rank : axis }, dtype, gradient: 'cut' },
  );
}

function tfGather(
  site: CallSite,
  paramsValue: PyValue,
  indicesValue: PyValue,
  axisValue: PyValue,
  batchDims: PyValue,
): TensorValue {
  const params = T(site, paramsValue);
  const indices = T(site, indicesValue);
  if (!isIntDtype(indices.dtype))
    throw typeError(
      `Value passed to parameter 'indices' has DataType ${indices.dtype} ` +
        'not in list of allowed values: int16, int32, int64',
    );
  if (toInt(batchDims) !== 0) throw new InterpreterError('unsupported', 'unsupported: tf.gather with batch_dims');
  const axis = axisValue === null ? 0 : tfAxis(axisValue, params.rank, 'gather');
  const size = params.shape[axis];
  const positions = Array.from(indices.tensor.dataSync(), Number);
  for (const p of positions)
    if (p < 0 || p >= size) throw invalidArgumentError(`indices = ${p} is not in [0, ` + `${size}) [Op:GatherV2]`);
  const outShape = [...params.shape.slice(0, axis), ...indices.shape, ...params.shape.slice(axis + 1)];
  site.rt.guard.checkTensorElements(outShape, 'gather');
  return site.rt.apply(site, 'gather', [params], ([t]) => tf.reshape(gatherAlong(t, positions, axis), outShape), {
    kind: { category: 'indexing', method: 'gather' },
    dtype: params.dtype,
  });
}

function tfGatherNd(site: CallSite, paramsValue: PyValue, indicesValue: PyValue, batchDims: PyValue): TensorValue {
  const params = T(site, paramsValue);
  const indices = T(site, indicesValue);
  if (!isIntDtype(indices.dtype)) throw typeError(`gather_nd indices must be integers, got ${indices.dtype}`);
  if (toInt(batchDims) !== 0) throw new InterpreterError('unsupported', 'unsupported: tf.gather_nd with batch_dims');
  if (indices.rank === 0) throw invalidArgumentError(`indices must be at least a vector, got shape []`);
  const depth = indices.shape[indices.rank - 1];
  // Empty index tuples would select all of params per row; no loss needs that, and the walk below needs depth ≥ 1.
  if (depth === 0)
    throw new InterpreterError(
      'unsupported',
      'unsupported: tf.gather_nd with empty index tuples (indices.shape[-1] == 0)',
    );
  if (depth > params.rank) {
    throw invalidArgumentError(
      `index innermost dimension length must be <= params rank; saw: ${depth} vs. ` + `${params.rank}`,
    );
  }
  const lead = params.shape.slice(0, depth);
  const strides = lead.map((_, i) => lead.slice(i + 1).reduce((p, d) => p * d, 1));
  const data = Array.from(indices.tensor.dataSync(), Number);
  const flat: number[] = [];
  for (let i = 0; i < data.length; i += depth) {
    let offset = 0;
    for (let k = 0; k < depth; k++) {
      const v = data[i + k];
      if (v < 0 || v >= lead[k]) {
        throw invalidArgumentError(
          `indices[${i / depth}] = [${data.slice(i, i + depth).join(', ')}] does not ` +
            `index into param shape [${params.shape.join(', ')}]`,
        );
      }
      offset += v * strides[k];
    }
    flat.push(offset);
  }
  const rest = params.shape.slice(depth);
  const outShape = [...indices.shape.slice(0, -1), ...rest];
  site.rt.guard.checkTensorElements(outShape, 'gather_nd');
  const merged = lead.reduce((p, d) => p * d, 1);
  const gathered = (t: tf.Tensor) => tf.reshape(gatherAlong(tf.reshape(t, [merged, ...rest]), flat, 0), outShape);
  return site.rt.apply(site, 'gather_nd', [params], ([t]) => gathered(t), {
    kind: { category: 'indexing', method: 'gather_nd' },
    dtype: params.dtype,
  });
}

function tfBooleanMask(site: CallSite, tensorValue: PyValue, maskValue: PyValue, axisValue: PyValue): TensorValue {
  const x = T(site, tensorValue);
  const mask = T(site, maskValue);
  if (mask.dtype !== 'bool') throw typeError(`boolean_mask: mask must be a bool tensor, got ${mask.dtype}`);
  const axis = axisValue === null ? 0 : tfAxis(axisValue, x.rank, 'boolean_mask');
  if (mask.rank === 0) throw valueError('mask cannot be scalar.');
  const want = x.shape.slice(axis, axis + mask.rank);
  if (want.join(',') !== mask.shape.join(','))
    throw valueError(`Shapes (${want.join(', ')}) and (${mask.shape.join(', ')}) are incompatible`);
  const index = new PyTuple([...Array.from({ length: axis }, () => new PySlice(null, null, null)), mask]);
  return indexTensor(site, x, index);
}

fn(
  [top],
  'gather',
  ['params', 'indices', 'validate_indices=None', 'axis=None', 'batch_dims=0', 'name=None'],
  (a, site) => tfGather(site, a.params, a.indices, a.axis, a.batch_dims),
);
fn([top], 'gather_nd', ['params', 'indices', 'batch_dims=0', 'name=None'], (a, site) =>
  tfGatherNd(site, a.params, a.indices, a.batch_dims),
);
fn([top], 'boolean_mask', ['tensor', 'mask', 'axis=None', "name='boolean_mask'"], (a, site) =>
  tfBooleanMask(site, a.tensor, a.mask, a.axis),
);
fn(
  [top],
  'one_hot',
  ['indices', 'depth', 'on_value=None', 'off_value=None', 'axis=None', 'dtype=None', 'name=None'],
  (a, site) => tfOneHot(site, a.indices, a.depth, a.on_value, a.off_value, a.axis, a.dtype),
);
