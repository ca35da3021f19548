// K.* conversion, metadata and construction: cast, constant, variable, shape queries, get_value/eval,
// stop_gradient, zeros/ones/eye(_like) and arange.
import * as tf from '@tensorflow/tfjs';
import { valueError } from '../../errors';
import { castTensor } from '../../ops/coercion';
import { filled, eye } from '../../ops/shape';
import { isTensor, repr, toInt } from '../../protocols';
import { TensorValue } from '../../tensor';
import { PyList, PyTuple, type PyValue } from '../../values';
import { dtypeObject } from '../common';
import {
  T,
  TF_FLAVOUR,
  TF_TABLES,
  convertTo,
  onesLike,
  stopGradient,
  tfCast,
  tfConstant,
  tfDtype,
  tfShape,
  variableOf,
} from '../tensorflow';
import { floatx } from './config';
import { K, call } from './tables';

K('cast', ['x', 'dtype'], (a, site) => tfCast(site, a.x, a.dtype));
K('cast_to_floatx', ['x'], (a, site) => {
  if (isTensor(a.x) && a.x.flavour === TF_FLAVOUR) return tfCast(site, a.x, dtypeObject(TF_FLAVOUR, floatx(site)));
  const t = convertTo(site, a.x, undefined);
  const cast = castTensor(site, t, floatx(site));
  return new TensorValue(cast.tensor, cast.dtype, 'numpy', cast.origin, false, cast.producer);
});
K('constant', ['value', 'dtype=None', 'shape=None', 'name=None'], (a, site) =>
  tfConstant(site, a.value, a.dtype ?? floatx(site), a.shape),
);
K('variable', ['value', 'dtype=None', 'name=None', 'constraint=None'], (a, site) =>
  variableOf(site, a.value, tfDtype(a.dtype) ?? floatx(site)),
);
K('is_tensor', ['x'], (a) => isTensor(a.x) && a.x.flavour === TF_FLAVOUR);
K('is_keras_tensor', ['x'], (a) => {
  if (!isTensor(a.x))
    throw valueError(`Unexpectedly found an instance of type \`${repr(a.x)}\`. Expected a symbolic tensor instance.`);
  return false;
});
K('int_shape', ['x'], (a, site) => new PyTuple(T(site, a.x).shape.map((d) => BigInt(d))));
K('shape', ['x'], (a, site) => tfShape(site, a.x));
K('ndim', ['x'], (a, site) => BigInt(T(site, a.x).rank));
K('dtype', ['x'], (a, site) => T(site, a.x).dtype);
K('count_params', ['x'], (a, site) => BigInt(T(site, a.x).size));
for (const name of ['get_value', 'eval']) {
  K(name, ['x'], (a, site) => {
    const x = T(site, a.x);
    return site.rt.apply(site, 'numpy', [x], ([t]) => tf.clone(t), {
      kind: { category: 'conversion', to: 'numpy' },
      dtype: x.dtype,
      gradient: 'cut',
      flavour: 'numpy',
    });
  });
}
K('print_tensor', ['x', "message=''", 'summarize=3'], (a) => a.x);
K('stop_gradient', ['variables'], (a, site) => {
  if (a.variables instanceof PyList || a.variables instanceof PyTuple)
    return new PyList(a.variables.items.map((v) => stopGradient(site, v)));
  return stopGradient(site, a.variables);
});

// ------------------------------------------------------------------ construction

K('zeros', ['shape', 'dtype=None', 'name=None'], (a, site) =>
  filled(site, shapeList(a.shape), 0, tfDtype(a.dtype) ?? floatx(site), TF_FLAVOUR, 'zeros'),
);
K('ones', ['shape', 'dtype=None', 'name=None'], (a, site) =>
  filled(site, shapeList(a.shape), 1, tfDtype(a.dtype) ?? floatx(site), TF_FLAVOUR, 'ones'),
);
K('eye', ['size', 'dtype=None', 'name=None'], (a, site) => {
  const dims =
    a.size instanceof PyList || a.size instanceof PyTuple
      ? a.size.items.map((v) => toInt(v))
      : [toInt(a.size), toInt(a.size)];
  return eye(site, dims[0], dims[1] ?? dims[0], tfDtype(a.dtype) ?? floatx(site), TF_FLAVOUR);
});
K('zeros_like', ['x', 'dtype=None', 'name=None'], (a, site) => onesLike(site, a.x, a.dtype, 0, 'zeros_like'));
K('ones_like', ['x', 'dtype=None', 'name=None'], (a, site) => onesLike(site, a.x, a.dtype, 1, 'ones_like'));
K('arange', ['start', 'stop=None', 'step=1', "dtype='int32'"], (a, site) =>
  call(site, TF_TABLES.top.get('range')!, [a.start, a.stop, a.step], new Map([['dtype', a.dtype]])),
);

function shapeList(value: PyValue): number[] {
  if (value instanceof PyList || value instanceof PyTuple) return value.items.map((v) => toInt(v, 'shape'));
  if (isTensor(value)) return Array.from(value.tensor.dataSync(), Number);
  return [toInt(value, 'shape')];
}
