// Products and norms: dot, vdot, inner, outer, matmul, einsum, and numpy.linalg.norm (vector
// norms and the Frobenius norm).
import * as tf from '@tensorflow/tfjs';
import { unsupported, valueError } from '../../errors';
import { unaryKind } from '../../opKinds';
import { dotValue } from '../../ops/arraylib';
import { castTensor } from '../../ops/coercion';
import { binaryOp, unaryOp } from '../../ops/elementwise';
import { einsum } from '../../ops/nn';
import { reduce } from '../../ops/reduce';
import { swapAxes } from '../../ops/shape';
import { isFloatDtype } from '../../tensor';
import { PyTuple, type PyValue } from '../../values';
import { boolArg, def, floatArg } from '../common';
import { FLAVOUR, N, noOut, npAxes, npReshape } from './arguments';
import { UFUNC_TAIL, finishUfunc } from './math';
import { extremum } from './reduce';
import { fn, method } from './tables';

fn('dot', ['a', 'b', 'out=None'], (a, site) => {
  noOut(a, 'dot');
  return dotValue(site, N(site, a.a), N(site, a.b));
});
method('dot', ['b', 'out=None'], (x, a, site) => {
  noOut(a, 'dot');
  return dotValue(site, x, N(site, a.b));
});
fn('vdot', ['a', 'b'], (a, site) =>
  dotValue(site, npReshape(site, N(site, a.a), [-1], 'ravel'), npReshape(site, N(site, a.b), [-1], 'ravel'), 'vdot'),
);
fn('inner', ['a', 'b'], (a, site) => {
  const x = N(site, a.a);
  const y = N(site, a.b);
  if (x.rank === 0 || y.rank === 0) return binaryOp(site, '*', x, y, 'inner');
  return dotValue(site, x, y.rank === 1 ? y : swapAxes(site, y, -1, -2), 'inner');
});
fn('outer', ['a', 'b', 'out=None'], (a, site) => {
  const x = npReshape(site, N(site, a.a), [-1, 1], 'ravel');
  const y = npReshape(site, N(site, a.b), [1, -1], 'ravel');
  return binaryOp(site, '*', x, y, 'outer');
});
fn('matmul', ['x1', 'x2', ...UFUNC_TAIL], (a, site) => {
  noOut(a, 'matmul');
  const x = N(site, a.x1);
  const y = N(site, a.x2);
  if (x.rank === 0 || y.rank === 0) throw valueError('matmul: Input operand does not have enough dimensions');
  return finishUfunc(site, binaryOp(site, '@', x, y), a);
});
fn(
  'einsum',
  ['subscripts', '*operands', 'out=None', 'dtype=None', "order='K'", "casting='safe'", 'optimize=False'],
  (a, site) => {
    noOut(a, 'einsum');
    if (typeof a.subscripts !== 'string') throw unsupported('numpy.einsum with operand/sublist arguments');
    const operands = (a.operands as PyTuple).items.map((o) => N(site, o));
    return finishUfunc(site, einsum(site, a.subscripts, operands, FLAVOUR), a);
  },
);

export const linalg = new Map<string, PyValue>();
linalg.set(
  'norm',
  def('norm', ['x', 'ord=None', 'axis=None', 'keepdims=False'], (a, site) => {
    const x = N(site, a.x);
    const keep = boolArg(a.keepdims);
    const axes = npAxes(a.axis, x.rank);
    const ord = a.ord;
    const absX = () => unaryOp(site, 'abs', unaryKind('abs'), x, FLAVOUR, tf.abs, 'same');
    const floatX = isFloatDtype(x.dtype) ? x : castTensor(site, x, 'float64');
    const frobenius = () => {
      const squares = reduce(site, 'sum', binaryOp(site, '*', floatX, floatX), axes, keep, { opName: 'norm' });
      return unaryOp(site, 'sqrt', unaryKind('sqrt'), squares, FLAVOUR, tf.sqrt);
    };
    if (ord === null || ord === 'fro') {
      if (ord === 'fro' && (axes ? axes.length : x.rank) !== 2) throw valueError('Invalid norm order for vectors.');
      return frobenius();
    }
    const vector = axes ? axes.length === 1 : x.rank === 1;
    if (!vector) throw unsupported('numpy.linalg.norm matrix norms other than the Frobenius norm');
    const p = floatArg(ord);
    if (p === 2) return frobenius();
    if (p === Infinity) return extremum(site, 'max', absX(), axes, keep, 'norm');
    if (p === -Infinity) return extremum(site, 'min', absX(), axes, keep, 'norm');
    if (p === 1)
      return reduce(site, 'sum', absX(), axes, keep, {
        opName: 'norm',
        dtype: isFloatDtype(x.dtype) ? x.dtype : 'float64',
      });
    if (p === 0)
      return reduce(
        site,
        'sum',
        castTensor(site, binaryOp(site, '!=', x, 0n), isFloatDtype(x.dtype) ? x.dtype : 'float64'),
        axes,
        keep,
        { opName: 'norm' },
      );
    const absFloat = unaryOp(site, 'abs', unaryKind('abs'), floatX, FLAVOUR, tf.abs, 'same');
    const powered = reduce(site, 'sum', binaryOp(site, '**', absFloat, p), axes, keep, { opName: 'norm' });
    return binaryOp(site, '**', powered, 1 / p);
  }),
);
