// The ndarray class, the metadata functions np.shape/ndim/size/isscalar, the methods only arrays
// have (astype, copy, item, tolist, fill, nonzero) and the array properties (shape, dtype, T...).
import * as tf from '@tensorflow/tfjs';
import { tensorProperty, type TensorAttribute } from '../../attributes';
import { OBJECT_CLASS, TENSOR_TYPES, TYPE_CLASSES } from '../../builtins';
import { indexError, typeError, unsupported, valueError } from '../../errors';
import { castTensor } from '../../ops/coercion';
import { nonzeroCoordinates } from '../../ops/indexing';
import { filled, permute } from '../../ops/shape';
import { isTensor, tensorScalar, toShape } from '../../protocols';
import { bindArgs } from '../../signature';
import type { TensorValue } from '../../tensor';
import { BuiltinFunction, PyClass, PyList, PyTuple, type PyValue } from '../../values';
import { dtypeObject, floatArg, intArg } from '../common';
import { FLAVOUR, N, dtypeArg, isNumberLike, npAxis, pyScalar, shapeArg } from './arguments';
import { DTYPE_KIND } from './dtypes';
import { fn, method } from './tables';

fn('shape', ['a'], (a, site) => new PyTuple(N(site, a.a).shape.map((d) => BigInt(d))));
fn('ndim', ['a'], (a, site) => BigInt(N(site, a.a).rank));
fn('size', ['a', 'axis=None'], (a, site) => {
  const x = N(site, a.a);
  return BigInt(a.axis === null ? x.size : x.shape[npAxis(a.axis, x.rank)]);
});
fn('isscalar', ['element'], (a) => isNumberLike(a.element) || (isTensor(a.element) && a.element.rank === 0));

export const NDARRAY_CLASS = new PyClass(
  'ndarray',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    [
      '__new__',
      new BuiltinFunction('numpy.ndarray', (args, site) => {
        const a = bindArgs('ndarray', { positional: args.positional.slice(1), keywords: args.keywords }, [
          'shape',
          'dtype=None',
          'buffer=None',
          'offset=0',
          'strides=None',
          'order=None',
        ]);
        if (a.buffer !== null) throw unsupported('numpy.ndarray(buffer=...)');
        return filled(site, shapeArg(a.shape), 0, dtypeArg(a.dtype) ?? 'float64', FLAVOUR, 'ndarray');
      }),
    ],
  ]),
  undefined,
  'numpy.ndarray',
);
TYPE_CLASSES.set(NDARRAY_CLASS, (v) => isTensor(v) && v.flavour === FLAVOUR);
TENSOR_TYPES.set(FLAVOUR, NDARRAY_CLASS);

method('astype', ['dtype', "order='K'", "casting='unsafe'", 'subok=True', 'copy=True'], (x, a, site) => {
  const dtype = dtypeArg(a.dtype);
  if (!dtype) throw typeError('Cannot interpret None as a data type');
  return castTensor(site, x, dtype, 'astype');
});
method('copy', ["order='C'"], (x, _a, site) =>
  site.rt.apply(site, 'copy', [x], ([t]) => tf.clone(t), { kind: { category: 'copy' }, dtype: x.dtype }),
);
method('item', ['*args'], (x, a) => {
  const args = (a.args as PyTuple).items;
  const data = x.tensor.dataSync() as ArrayLike<number>;
  if (!args.length) {
    if (x.size !== 1) throw valueError('can only convert an array of size 1 to a Python scalar');
    return pyScalar(x.dtype, tensorScalar(x, 'item()'));
  }
  let offset: number;
  const indices =
    args.length === 1 && args[0] instanceof PyTuple ? toShape(args[0]) : args.map((v) => intArg(v, 'index'));
  if (indices.length === 1) {
    const i = indices[0] < 0 ? indices[0] + x.size : indices[0];
    if (i < 0 || i >= x.size) throw indexError(`index ${indices[0]} is out of bounds for size ${x.size}`);
    offset = i;
  } else {
    if (indices.length !== x.rank) throw valueError('incorrect number of indices for array');
    offset = 0;
    indices.forEach((idx, k) => {
      const i = idx < 0 ? idx + x.shape[k] : idx;
      if (i < 0 || i >= x.shape[k]) {
        throw indexError(`index ${idx} is out of bounds for axis ${k} with size ${x.shape[k]}`);
      }
      offset = offset * x.shape[k] + i;
    });
  }
  return pyScalar(x.dtype, Number(data[offset]));
});
method('tolist', [], (x, _a, site) => {
  site.rt.guard.growCollection('a list', x.size); // its nested lists hold one Python number per element
  const data = Array.from(x.tensor.dataSync() as ArrayLike<number>, Number);
  const build = (offset: number, dims: number[]): PyValue => {
    if (!dims.length) return pyScalar(x.dtype, data[offset]);
    const stride = dims.slice(1).reduce((p, d) => p * d, 1);
    return new PyList(Array.from({ length: dims[0] }, (_, i) => build(offset + i * stride, dims.slice(1))));
  };
  return build(0, x.shape);
});
method('fill', ['value'], (x, a, site) => {
  x.assignFrom(filled(site, x.shape, floatArg(a.value), x.dtype, FLAVOUR, 'fill'));
  return null;
});
method('nonzero', [], (x, _a, site) => new PyTuple(nonzeroCoordinates(site, x, true) as TensorValue[]));

export const arrayProperties: Record<string, TensorAttribute> = {
  shape: tensorProperty((x) => new PyTuple(x.shape.map((d) => BigInt(d)))),
  ndim: tensorProperty((x) => BigInt(x.rank)),
  size: tensorProperty((x) => BigInt(x.size)),
  dtype: tensorProperty((x) => dtypeObject(FLAVOUR, x.dtype)),
  itemsize: tensorProperty((x) => BigInt(DTYPE_KIND[x.dtype][1])),
  nbytes: tensorProperty((x) => BigInt(DTYPE_KIND[x.dtype][1] * x.size)),
  T: tensorProperty((x, site) => permute(site, x, undefined, 'T')),
  real: tensorProperty((x) => x),
};
