// Ops that bound or choose values, and the closeness tests: np.clip (and ndarray.clip), np.where,
// isclose, allclose and array_equal, and the index arrays of non-zero entries (nonzero, argwhere).
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { valueError } from '../../errors';
import { comparisonKind } from '../../opKinds';
import { clip, coerceOperands, where } from '../../ops/elementwise';
import { nonzeroCoordinates } from '../../ops/indexing';
import { reshape } from '../../ops/shape';
import type { TensorValue } from '../../tensor';
import { PyTuple, type PyValue } from '../../values';
import { type Bound, boolArg, floatArg } from '../common';
import { FLAVOUR, N, isNumberLike, noOut } from './arguments';
import { fn, method } from './tables';

function clipValue(site: CallSite, x: TensorValue, low: PyValue, high: PyValue): TensorValue {
  if (low === null && high === null) throw valueError('One of max or min must be given');
  const bound = (v: PyValue) => (v === null || isNumberLike(v) ? v : N(site, v));
  return clip(site, x, bound(low), bound(high), FLAVOUR);
}
fn(
  'clip',
  ['a', 'a_min', 'a_max', 'out=None'],
  (a, site) => {
    noOut(a, 'clip');
    return clipValue(site, N(site, a.a), a.a_min, a.a_max);
  },
  { min: 'a_min', max: 'a_max' },
);
method('clip', ['min=None', 'max=None', 'out=None'], (x, a, site) => {
  noOut(a, 'clip');
  return clipValue(site, x, a.min, a.max);
});

fn('where', ['condition', 'x=None', 'y=None'], (a, site) => {
  // numpy.where(condition) is numpy.nonzero(condition)
  if (a.x === null && a.y === null)
    return new PyTuple(nonzeroCoordinates(site, N(site, a.condition), true) as TensorValue[]);
  if (a.x === null || a.y === null) throw valueError('either both or neither of x and y should be given');
  const operand = (v: PyValue) => (isNumberLike(v) ? v : N(site, v));
  return where(site, N(site, a.condition), operand(a.x), operand(a.y), FLAVOUR);
});

fn('isclose', ['a', 'b', 'rtol=1e-05', 'atol=1e-08', 'equal_nan=False'], (a, site) => closeMask(site, a));
fn('allclose', ['a', 'b', 'rtol=1e-05', 'atol=1e-08', 'equal_nan=False'], (a, site) => {
  const mask = closeMask(site, a);
  return Array.from(mask.tensor.dataSync()).every((v) => v !== 0);
});
fn('array_equal', ['a1', 'a2', 'equal_nan=False'], (a, site) => {
  const x = N(site, a.a1);
  const y = N(site, a.a2);
  if (x.shape.join(',') !== y.shape.join(',')) return false;
  const p = x.tensor.dataSync();
  const q = y.tensor.dataSync();
  const nanEqual = boolArg(a.equal_nan);
  return Array.from(p).every((v, i) => v === q[i] || (nanEqual && Number.isNaN(v) && Number.isNaN(q[i])));
});

function closeMask(site: CallSite, a: Bound): TensorValue {
  const [x, y] = coerceOperands(site, N(site, a.a), N(site, a.b), FLAVOUR);
  const rtol = floatArg(a.rtol);
  const atol = floatArg(a.atol);
  const equalNan = boolArg(a.equal_nan);
  return site.rt.apply(
    site,
    'isclose',
    [x, y],
    ([p, q]) => {
      const fp = tf.cast(p, 'float32');
      const fq = tf.cast(q, 'float32');
      let close = tf.logicalOr(
        tf.equal(fp, fq),
        tf.lessEqual(tf.abs(tf.sub(fp, fq)), tf.add(atol, tf.mul(rtol, tf.abs(fq)))),
      );
      if (equalNan) close = tf.logicalOr(close, tf.logicalAnd(tf.isNaN(fp), tf.isNaN(fq)));
      return close;
    },
    { kind: comparisonKind('isclose'), dtype: 'bool', gradient: 'cut' },
  );
}

fn('nonzero', ['a'], (a, site) => new PyTuple(nonzeroCoordinates(site, N(site, a.a), true) as TensorValue[]));
fn('argwhere', ['a'], (a, site) => nonzeroCoordinates(site, N(site, a.a), false) as TensorValue);
fn('flatnonzero', ['a'], (a, site) => {
  const x = N(site, a.a);
  return (nonzeroCoordinates(site, reshape(site, x, [-1], 'ravel'), true) as TensorValue[])[0];
});
