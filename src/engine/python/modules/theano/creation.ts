// Construction: zeros/ones(_like), fill, alloc, arange, constant/as_tensor_variable (Python floats
// are float64 scalars, float lists floatX arrays) and shape.
import type { CallSite } from '../../callsite';
import { typeError, valueError } from '../../errors';
import { promoteTypes } from '../../ops/coercion';
import { binaryOp } from '../../ops/elementwise';
import { filled, zerosLike } from '../../ops/shape';
import { isTensor, toShape } from '../../protocols';
import { TensorValue, isFloatDtype } from '../../tensor';
import { PyInstance, PyTuple, type PyValue, typeName } from '../../values';
import { floatArg, intArg } from '../common';
import { FLAVOUR, FLOATX, TT, dtypeArg } from './arguments';
import { theanoCast } from './math';
import { fn, method, tensorFunctions } from './tables';

function likeValue(site: CallSite, model: PyValue, value: number, dtypeValue: PyValue, name: string): TensorValue {
  const x = TT(site, model);
  return zerosLike(site, x, value, dtypeValue === null ? x.dtype : dtypeArg(dtypeValue), name);
}
fn('zeros_like', ['model', 'dtype=None', 'opt=False'], (a, site) => likeValue(site, a.model, 0, a.dtype, 'zeros_like'));
fn('ones_like', ['model', 'dtype=None', 'opt=False'], (a, site) => likeValue(site, a.model, 1, a.dtype, 'ones_like'));
method('zeros_like', ['dtype=None'], (x, a, site) => likeValue(site, x, 0, a.dtype, 'zeros_like'));
method('ones_like', ['dtype=None'], (x, a, site) => likeValue(site, x, 1, a.dtype, 'ones_like'));
for (const [name, value] of [
  ['zeros', 0],
  ['ones', 1],
] as const) {
  fn(name, ['shape', 'dtype=None'], (a, site) =>
    filled(site, toShape(a.shape), value, dtypeArg(a.dtype) ?? FLOATX, FLAVOUR, name),
  );
}
fn('fill', ['model', 'value'], (a, site) => {
  const x = TT(site, a.model);
  const v = TT(site, a.value);
  return binaryOp(site, '+', zerosLike(site, x, 0, promoteTypes(x.dtype, v.dtype, FLAVOUR), 'fill'), v, 'fill');
});
fn('alloc', ['value', '*shape'], (a, site) => {
  const v = TT(site, a.value);
  const shape = (a.shape as PyTuple).items.map((d) => intArg(d, 'shape'));
  site.rt.guard.checkTensorElements(shape, 'alloc');
  return binaryOp(site, '+', filled(site, shape, 0, v.dtype, FLAVOUR, 'alloc'), v, 'alloc');
});
fn('arange', ['start', 'stop=None', 'step=1', 'dtype=None'], (a, site) => {
  const [start, stop] = a.stop === null ? [0, floatArg(a.start)] : [floatArg(a.start), floatArg(a.stop)];
  const step = floatArg(a.step);
  if (step === 0) throw valueError('arange: step must be nonzero');
  const anyFloat = [a.start, a.stop, a.step].some(
    (v) => typeof v === 'number' || (isTensor(v) && isFloatDtype(v.dtype)),
  );
  const dtype = dtypeArg(a.dtype) ?? (anyFloat ? FLOATX : 'int64');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  site.rt.guard.checkTensorElements([count], 'arange');
  const values = Array.from({ length: count }, (_, i) => start + i * step);
  return site.rt.constant(values, [count], dtype, FLAVOUR);
});

/** T.constant / T.as_tensor_variable: Python floats are float64 scalars, float lists floatX arrays. */
function asVariable(site: CallSite, value: PyValue, dtypeValue: PyValue = null): TensorValue {
  const dtype = dtypeArg(dtypeValue);
  if (isTensor(value)) {
    const x = TT(site, value);
    return dtype && dtype !== x.dtype ? theanoCast(site, x, dtype) : x;
  }
  if (typeof value === 'number') return TT(site, value, dtype ?? 'float64');
  if (value === null || typeof value === 'string' || value instanceof PyInstance)
    throw typeError(`Cannot convert ${typeName(value)} to TensorType`);
  return TT(site, value, dtype);
}
fn('constant', ['x', 'name=None', 'ndim=None', 'dtype=None'], (a, site) => asVariable(site, a.x, a.dtype));
fn('as_tensor_variable', ['x', 'name=None', 'ndim=None'], (a, site) => asVariable(site, a.x));
tensorFunctions.set('as_tensor', tensorFunctions.get('as_tensor_variable')!);
fn('shape', ['x'], (a, site) => {
  const x = TT(site, a.x);
  return site.rt.constant(x.shape, [x.rank], 'int64', FLAVOUR);
});
