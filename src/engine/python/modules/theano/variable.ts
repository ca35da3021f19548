// The tensor variable's own methods (nonzero_values, copy, get_value, eval), its properties, and the
// TensorVariable/TensorConstant classes for isinstance.
import * as tf from '@tensorflow/tfjs';
import { tensorProperty, type TensorAttribute } from '../../attributes';
import { OBJECT_CLASS, TENSOR_TYPES, TYPE_CLASSES } from '../../builtins';
import { binaryOp } from '../../ops/elementwise';
import { indexTensor } from '../../ops/indexing';
import { permute } from '../../ops/shape';
import { isTensor } from '../../protocols';
import { TensorValue } from '../../tensor';
import { PyClass, PyTuple } from '../../values';
import { FLAVOUR } from './arguments';
import { method } from './tables';

method('nonzero_values', [], (x, _a, site) =>
  indexTensor(site, x, binaryOp(site, '!=', x, x.dtype === 'bool' ? false : 0n)),
);
method('copy', ['name=None'], (x, _a, site) =>
  site.rt.apply(site, 'copy', [x], ([t]) => tf.clone(t), { kind: { category: 'copy' }, dtype: x.dtype }),
);
method(
  'get_value',
  ['borrow=False', 'return_internal_type=False'],
  (x) => new TensorValue(x.tensor, x.dtype, 'numpy', x.origin, x.requiresGrad, x.producer),
);
method(
  'eval',
  ['inputs_to_values=None'],
  (x) => new TensorValue(x.tensor, x.dtype, 'numpy', x.origin, x.requiresGrad, x.producer),
);

export const variableProperties: Record<string, TensorAttribute> = {
  shape: tensorProperty((x) => new PyTuple(x.shape.map((d) => BigInt(d)))),
  ndim: tensorProperty((x) => BigInt(x.rank)),
  size: tensorProperty((x) => BigInt(x.size)),
  dtype: tensorProperty((x) => x.dtype),
  T: tensorProperty((x, site) => permute(site, x, undefined, 'T')),
  broadcastable: tensorProperty((x) => new PyTuple(x.shape.map(() => false))),
};

export const TENSOR_VARIABLE = new PyClass(
  'TensorVariable',
  [OBJECT_CLASS],
  new Map(),
  undefined,
  'theano.tensor.var.TensorVariable',
);
TYPE_CLASSES.set(TENSOR_VARIABLE, (v) => isTensor(v) && v.flavour === FLAVOUR);
TENSOR_TYPES.set(FLAVOUR, TENSOR_VARIABLE);
export const TENSOR_CONSTANT = new PyClass(
  'TensorConstant',
  [TENSOR_VARIABLE],
  new Map(),
  undefined,
  'theano.tensor.var.TensorConstant',
);
TYPE_CLASSES.set(TENSOR_CONSTANT, (v) => isTensor(v) && v.flavour === FLAVOUR && !v.requiresGrad && v.origin === 0);
