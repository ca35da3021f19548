// tf.sparse and tf.SparseTensor, held densely: a SparseTensor is the dense tensor it stands for
// (zeros where no value is given), so sparse reshapes, reductions and products with dense tensors
// are their dense counterparts, with the same values and gradients.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { invalidArgumentError } from '../../errors';
import { writeAt } from '../../ops/indexing';
import { truthy } from '../../protocols';
import type { TensorValue } from '../../tensor';
import type { PyValue } from '../../values';
import { type Bound, def } from '../common';
import { T, shapeOf } from './arguments';
import { tfReduce } from './reduce';
import { tfReshape } from './shape';
import { top } from './tables';

/** tf.SparseTensor(indices, values, dense_shape) as its dense tensor. */
function sparseTensor(site: CallSite, a: Bound): TensorValue {
  const indices = T(site, a.indices);
  const values = T(site, a.values);
  const shape = shapeOf(a.dense_shape);
  if (indices.rank !== 2 || indices.shape[1] !== shape.length || indices.shape[0] !== values.size)
    throw invalidArgumentError(
      `SparseTensor: indices [${indices.shape.join(', ')}] do not match values [${values.shape.join(', ')}] ` +
        `and a dense shape of rank ${shape.length}`,
    );
  site.rt.guard.checkTensorElements(shape, 'a SparseTensor');
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  const coordinates = indices.tensor.dataSync();
  const positions = Int32Array.from({ length: indices.shape[0] }, (_, n) => {
    let flat = 0;
    shape.forEach((size, d) => {
      const at = Number(coordinates[n * shape.length + d]);
      if (at < 0 || at >= size)
        throw invalidArgumentError(`SparseTensor: index ${at} is out of bounds for dimension ${d}`);
      flat += at * strides[d];
    });
    return flat;
  });
  return site.rt.apply(site, 'SparseTensor', [values], ([v]) => writeAt(tf.zeros(shape, v.dtype), v, positions), {
    kind: { category: 'scatter', method: 'scatter' },
    dtype: values.dtype,
  });
}

const SPARSE_TENSOR = def('tf.SparseTensor', ['indices', 'values', 'dense_shape'], (a, site) => sparseTensor(site, a));
top.set('SparseTensor', SPARSE_TENSOR);

const reduceSum = (site: CallSite, a: Bound) =>
  tfReduce(
    site,
    'reduce_sum',
    a.sp_input,
    a.axis ?? a.reduction_axes ?? null,
    truthy(a.keepdims ?? a.keep_dims ?? false),
  );

export const sparse = new Map<string, PyValue>([
  ['SparseTensor', SPARSE_TENSOR],
  [
    'to_dense',
    def('tf.sparse.to_dense', ['sp_input', 'default_value=None', 'validate_indices=True', 'name=None'], (a, site) =>
      T(site, a.sp_input),
    ),
  ],
  [
    'reshape',
    def('tf.sparse.reshape', ['sp_input', 'shape', 'name=None'], (a, site) => tfReshape(site, a.sp_input, a.shape)),
  ],
  [
    'reduce_sum',
    def(
      'tf.sparse.reduce_sum',
      ['sp_input', 'axis=None', 'keepdims=None', 'output_is_sparse=False', 'name=None'],
      (a, site) => reduceSum(site, a),
    ),
  ],
]);

/** The TF 1 spellings (tf.sparse_reshape...), for tf.compat.v1 and the TF 1 top level. */
export const sparseV1 = new Map<string, PyValue>([
  [
    'sparse_tensor_to_dense',
    def(
      'tf.compat.v1.sparse_tensor_to_dense',
      ['sp_input', 'default_value=0', 'validate_indices=True', 'name=None'],
      (a, site) => T(site, a.sp_input),
    ),
  ],
  [
    'sparse_reshape',
    def('tf.compat.v1.sparse_reshape', ['sp_input', 'shape', 'name=None'], (a, site) =>
      tfReshape(site, a.sp_input, a.shape),
    ),
  ],
  [
    'sparse_reduce_sum',
    def(
      'tf.compat.v1.sparse_reduce_sum',
      ['sp_input', 'axis=None', 'keepdims=None', 'reduction_axes=None', 'keep_dims=None'],
      (a, site) => reduceSum(site, a),
    ),
  ],
]);
