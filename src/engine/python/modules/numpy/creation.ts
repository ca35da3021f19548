// Array construction: zeros/ones/empty/full (and *_like), arange, linspace, eye/identity, and
// array/asarray/copy (float64 for Python floats, int64 for ints, ndmin).
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { unsupported, valueError, zeroDivisionError } from '../../errors';
import { castTensor } from '../../ops/coercion';
import { torchToNumpy } from '../../ops/numpyConversion';
import { broadcastTo, filled, zerosLike } from '../../ops/shape';
import { isTensor } from '../../protocols';
import { type LogicalDtype, type TensorValue, isFloatDtype, storageDtype } from '../../tensor';
import { PyDict, PyList, PyTuple, type PyValue, typeName } from '../../values';
import { boolArg, floatArg, intArg } from '../common';
import { FLAVOUR, MAX_DIMS, N, dtypeArg, npReshape, shapeArg } from './arguments';
import { fn } from './tables';

function creation(name: string, value: number): void {
  fn(name, ['shape', 'dtype=None', "order='C'", '*', 'like=None'], (a, site) =>
    filled(site, shapeArg(a.shape), value, dtypeArg(a.dtype) ?? 'float64', FLAVOUR, name),
  );
}
creation('zeros', 0);
creation('ones', 1);
creation('empty', 0);

function fillValueDtype(value: PyValue): LogicalDtype {
  if (isTensor(value)) return value.dtype;
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'int64';
  return 'float64';
}

fn('full', ['shape', 'fill_value', 'dtype=None', "order='C'", '*', 'like=None'], (a, site) => {
  const shape = shapeArg(a.shape);
  const dtype = dtypeArg(a.dtype) ?? fillValueDtype(a.fill_value);
  if (isTensor(a.fill_value) || a.fill_value instanceof PyList || a.fill_value instanceof PyTuple) {
    // a tensor fill value is broadcast (and keeps its gradient)
    site.rt.guard.checkTensorElements(shape, 'full');
    const v = N(site, a.fill_value);
    return broadcastTo(site, v.dtype === dtype ? v : castTensor(site, v, dtype), shape, 'full');
  }
  return filled(site, shape, floatArg(a.fill_value), dtype, FLAVOUR, 'full');
});

for (const [name, value] of [
  ['zeros_like', 0],
  ['ones_like', 1],
  ['empty_like', 0],
] as const) {
  fn(name, ['a', 'dtype=None', "order='K'", 'subok=True', 'shape=None'], (a, site) => {
    const x = N(site, a.a);
    const dtype = dtypeArg(a.dtype) ?? x.dtype;
    return a.shape === null
      ? zerosLike(site, x, value, dtype, name)
      : filled(site, shapeArg(a.shape), value, dtype, FLAVOUR, name);
  });
}
fn('full_like', ['a', 'fill_value', 'dtype=None', "order='K'", 'subok=True', 'shape=None'], (a, site) => {
  const x = N(site, a.a);
  const dtype = dtypeArg(a.dtype) ?? x.dtype;
  const shape = a.shape === null ? x.shape : shapeArg(a.shape);
  if (isTensor(a.fill_value)) {
    site.rt.guard.checkTensorElements(shape, 'full_like');
    const v = N(site, a.fill_value);
    return broadcastTo(site, v.dtype === dtype ? v : castTensor(site, v, dtype), shape, 'full_like');
  }
  return filled(site, shape, floatArg(a.fill_value), dtype, FLAVOUR, 'full_like');
});

/** A constant from JS numbers, with the size checked before anything is built. */
function constantFrom(
  site: CallSite,
  shape: number[],
  dtype: LogicalDtype,
  opName: string,
  build: (out: Float64Array) => void,
): TensorValue {
  site.rt.guard.checkTensorElements(shape, opName);
  const data = new Float64Array(shape.reduce((p, d) => p * d, 1));
  build(data);
  const storage = storageDtype(dtype);
  const values =
    storage === 'float32'
      ? Float32Array.from(data)
      : storage === 'int32'
        ? Int32Array.from(data)
        : Uint8Array.from(data, (v) => (v ? 1 : 0));
  return site.rt.constant(tf.tensor(values, shape, storage), undefined, dtype, FLAVOUR);
}

fn('arange', ['start', 'stop=None', 'step=None', 'dtype=None', '*', 'like=None'], (a, site) => {
  const [start, stop] = a.stop === null ? [0, floatArg(a.start)] : [floatArg(a.start), floatArg(a.stop)];
  const step = a.step === null ? 1 : floatArg(a.step);
  if (step === 0) throw zeroDivisionError('division by zero');
  const anyFloat = [a.start, a.stop, a.step].some(
    (v) => typeof v === 'number' || (isTensor(v) && isFloatDtype(v.dtype)),
  );
  const dtype = dtypeArg(a.dtype) ?? (anyFloat ? 'float64' : 'int64');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  return constantFrom(site, [count], dtype, 'arange', (out) => {
    for (let i = 0; i < count; i++) out[i] = start + i * step;
  });
});

fn('linspace', ['start', 'stop', 'num=50', 'endpoint=True', 'retstep=False', 'dtype=None', 'axis=0'], (a, site) => {
  const num = intArg(a.num, 'num');
  if (num < 0) throw valueError(`Number of samples, ${num}, must be non-negative.`);
  if (intArg(a.axis) !== 0) throw unsupported('numpy.linspace(axis=...) other than 0');
  const start = floatArg(a.start);
  const stop = floatArg(a.stop);
  const div = boolArg(a.endpoint) ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : NaN;
  const dtype = dtypeArg(a.dtype) ?? 'float64';
  const result = constantFrom(site, [num], dtype, 'linspace', (out) => {
    for (let i = 0; i < num; i++) out[i] = div > 0 ? start + i * step : start;
    if (boolArg(a.endpoint) && num > 1) out[num - 1] = stop;
  });
  return boolArg(a.retstep) ? new PyTuple([result, step]) : result;
});

function eyeValue(site: CallSite, n: number, m: number, k: number, dtype: LogicalDtype, opName: string): TensorValue {
  if (n < 0 || m < 0) throw valueError('negative dimensions are not allowed');
  return constantFrom(site, [n, m], dtype, opName, (out) => {
    for (let i = 0; i < n; i++) {
      const j = i + k;
      if (j >= 0 && j < m) out[i * m + j] = 1;
    }
  });
}
fn('eye', ['N', 'M=None', 'k=0', 'dtype=None', "order='C'", '*', 'like=None'], (a, site) =>
  eyeValue(
    site,
    intArg(a.N, 'N'),
    a.M === null ? intArg(a.N, 'N') : intArg(a.M, 'M'),
    intArg(a.k, 'k'),
    dtypeArg(a.dtype) ?? 'float64',
    'eye',
  ),
);
fn('identity', ['n', 'dtype=None', '*', 'like=None'], (a, site) =>
  eyeValue(site, intArg(a.n, 'n'), intArg(a.n, 'n'), 0, dtypeArg(a.dtype) ?? 'float64', 'identity'),
);

export function arrayValue(
  site: CallSite,
  object: PyValue,
  dtype: LogicalDtype | undefined,
  copy: boolean,
  ndmin = 0,
  op = 'array',
): TensorValue {
  let x: TensorValue;
  // np.array(t) calls the torch tensor's __array__, that is t.numpy(): refused on a tensor that requires grad.
  if (isTensor(object) && object.flavour === 'torch') object = torchToNumpy(site, object, op);
  if (isTensor(object)) {
    const source = N(site, object);
    const copied = () =>
      site.rt.apply(site, 'copy', [source], ([t]) => tf.clone(t), {
        kind: { category: 'copy' },
        dtype: source.dtype,
      });
    x = dtype && dtype !== source.dtype ? castTensor(site, source, dtype, 'astype') : copy ? copied() : source;
  } else {
    if (object === null || typeof object === 'string' || object instanceof PyDict)
      throw unsupported(`numpy.array of a ${typeName(object)}`);
    x = N(site, object, dtype);
  }
  if (ndmin > MAX_DIMS) throw valueError(`ndmin bigger than allowable number of dimensions NPY_MAXDIMS (=${MAX_DIMS})`);
  if (ndmin > x.rank) x = npReshape(site, x, [...Array(ndmin - x.rank).fill(1), ...x.shape], 'array');
  return x;
}
fn('array', ['object', 'dtype=None', '*', 'copy=True', "order='K'", 'subok=False', 'ndmin=0', 'like=None'], (a, site) =>
  arrayValue(site, a.object, dtypeArg(a.dtype), boolArg(a.copy), intArg(a.ndmin)),
);
for (const name of ['asarray', 'asanyarray', 'ascontiguousarray', 'asfarray']) {
  fn(name, ['a', 'dtype=None', 'order=None', '*', 'like=None'], (a, site) =>
    arrayValue(
      site,
      a.a,
      dtypeArg(a.dtype) ?? (name === 'asfarray' && !(isTensor(a.a) && isFloatDtype(a.a.dtype)) ? 'float64' : undefined),
      false,
      0,
      name,
    ),
  );
}
fn('copy', ['a', "order='K'", 'subok=False'], (a, site) => arrayValue(site, a.a, undefined, true, 0, 'copy'));
