// tf.Tensor attributes (shape, dtype, numpy()...), and the torch/numpy methods an eager tensor does
// not have: AttributeError, with the TF spelling to use instead.
import * as tf from '@tensorflow/tfjs';
import { registerTensorAttributes, tensorMethod, tensorProperty } from '../../attributes';
import { attributeError, valueError } from '../../errors';
import { repr, toInt } from '../../protocols';
import { bindArgs } from '../../signature';
import type { TensorValue } from '../../tensor';
import { PyList, PyTuple } from '../../values';
import { dtypeObject } from '../common';
import { TF_FLAVOUR } from './arguments';

function tensorShape(x: TensorValue): PyTuple {
  return new PyTuple(
    x.shape.map((d) => BigInt(d)),
    'TensorShape',
  );
}

registerTensorAttributes(TF_FLAVOUR, {
  shape: tensorProperty((x) => tensorShape(x)),
  dtype: tensorProperty((x) => dtypeObject(TF_FLAVOUR, x.dtype)),
  ndim: tensorProperty((x) => BigInt(x.rank)),
  device: tensorProperty(() => '/job:localhost/replica:0/task:0/device:CPU:0'),
  get_shape: tensorMethod((x, args) => {
    bindArgs('Tensor.get_shape', args, []);
    return tensorShape(x);
  }),
  set_shape: tensorMethod((x, args) => {
    const { shape } = bindArgs('Tensor.set_shape', args, ['shape']);
    const dims = shape instanceof PyList || shape instanceof PyTuple ? shape.items : [];
    if (dims.length !== x.rank || dims.some((d, i) => d !== null && toInt(d) !== x.shape[i])) {
      throw valueError(`Tensor's shape (${x.shape.join(', ')}) is not compatible with supplied shape ${repr(shape)}.`);
    }
    return null;
  }),
  numpy: tensorMethod((x, args, site) => {
    bindArgs('Tensor.numpy', args, []);
    return site.rt.apply(site, 'numpy', [x], ([t]) => tf.clone(t), {
      kind: { category: 'conversion', to: 'numpy' },
      dtype: x.dtype,
      gradient: 'cut',
      flavour: 'numpy',
    });
  }),
});

/**
 * Methods of torch tensors and numpy arrays that an eager tf.Tensor does not have: calling them on
 * a TF tensor (y_pred.sum(), y_pred.view(...), y_true.long()) raises AttributeError in TF.
 */
const NOT_TF_ATTRIBUTES = [
  'sum',
  'mean',
  'max',
  'min',
  'prod',
  'std',
  'var',
  'any',
  'all',
  'argmax',
  'argmin',
  'cumsum',
  'abs',
  'exp',
  'log',
  'sqrt',
  'pow',
  'clamp',
  'clip',
  'round',
  'floor',
  'sign',
  'sigmoid',
  'softmax',
  'log_softmax',
  'view',
  'view_as',
  'reshape',
  'flatten',
  'ravel',
  'transpose',
  'permute',
  'squeeze',
  'unsqueeze',
  'expand',
  'expand_as',
  'repeat',
  'T',
  'astype',
  'item',
  'tolist',
  'detach',
  'cpu',
  'cuda',
  'to',
  'float',
  'double',
  'long',
  'int',
  'bool',
  'type',
  'type_as',
  'contiguous',
  'size',
  'dim',
  'numel',
  'nelement',
  'requires_grad',
  'grad',
  'backward',
  'data',
  'masked_fill',
  'gather',
  'scatter',
  'scatter_',
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'add',
  'sub',
  'mul',
  'div',
  'norm',
  'new_zeros',
  'new_ones',
  'new_full',
  'new_tensor',
  'clone',
  'copy',
  'fill_',
  'zero_',
  'add_',
  'mul_',
  'sub_',
  'div_',
  'clamp_',
  'square',
  'matmul',
  'dot',
  'split',
  'chunk',
  'unbind',
  'nonzero',
  'isnan',
  'is_floating_point',
  'logical_not',
  'where',
];
const TF_SPELLING: Record<string, string> = {
  sum: 'tf.reduce_sum',
  mean: 'tf.reduce_mean',
  max: 'tf.reduce_max',
  min: 'tf.reduce_min',
  prod: 'tf.reduce_prod',
  any: 'tf.reduce_any',
  all: 'tf.reduce_all',
  std: 'tf.math.reduce_std',
  var: 'tf.math.reduce_variance',
  argmax: 'tf.argmax',
  argmin: 'tf.argmin',
  view: 'tf.reshape',
  reshape: 'tf.reshape',
  flatten: 'tf.reshape',
  permute: 'tf.transpose',
  transpose: 'tf.transpose',
  unsqueeze: 'tf.expand_dims',
  squeeze: 'tf.squeeze',
  long: 'tf.cast',
  int: 'tf.cast',
  float: 'tf.cast',
  double: 'tf.cast',
  bool: 'tf.cast',
  type: 'tf.cast',
  astype: 'tf.cast',
  to: 'tf.cast',
  detach: 'tf.stop_gradient',
  clamp: 'tf.clip_by_value',
  clip: 'tf.clip_by_value',
  item: '.numpy()',
  tolist: '.numpy()',
  size: '.shape',
  dim: 'len(x.shape)',
  numel: 'tf.size',
  softmax: 'tf.nn.softmax',
  sigmoid: 'tf.sigmoid',
};
const notTfAttribute = (name: string) =>
  tensorProperty(() => {
    const hint = TF_SPELLING[name] ? ` (a torch/numpy method; in TensorFlow use ${TF_SPELLING[name]})` : '';
    throw attributeError(`'tensorflow.python.framework.ops.EagerTensor' object has no attribute '${name}'${hint}`);
  });
registerTensorAttributes(TF_FLAVOUR, Object.fromEntries(NOT_TF_ATTRIBUTES.map((name) => [name, notTfAttribute(name)])));
