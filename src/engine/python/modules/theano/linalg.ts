// Products and norms: dot, outer and the variable's norm(L).
import { unaryKind } from '../../opKinds';
import * as tf from '@tensorflow/tfjs';
import { dotValue } from '../../ops/arraylib';
import { binaryOp, unaryOp } from '../../ops/elementwise';
import { reduce } from '../../ops/reduce';
import { reshape } from '../../ops/shape';
import { toAxes } from '../../protocols';
import { boolArg, floatArg } from '../common';
import { FLAVOUR, TT } from './arguments';
import { fn, method } from './tables';

fn('dot', ['a', 'b'], (a, site) => dotValue(site, TT(site, a.a), TT(site, a.b)));
method('dot', ['other'], (x, a, site) => dotValue(site, x, TT(site, a.other)));
fn('outer', ['x', 'y'], (a, site) => {
  const x = TT(site, a.x);
  const y = TT(site, a.y);
  return binaryOp(site, '*', reshape(site, x, [-1, 1], 'outer'), reshape(site, y, [1, -1], 'outer'), 'outer');
});

method('norm', ['L', 'axis=None', 'keepdims=False'], (x, a, site) => {
  const p = floatArg(a.L, 'L');
  const axes = toAxes(a.axis);
  const keep = boolArg(a.keepdims);
  const absX = unaryOp(site, 'abs', unaryKind('abs'), x, FLAVOUR, tf.abs, 'same');
  if (p === 1) return reduce(site, 'sum', absX, axes, keep, { opName: 'norm' });
  if (p === 2) {
    const squares = reduce(site, 'sum', binaryOp(site, '*', x, x), axes, keep, { opName: 'norm' });
    return unaryOp(site, 'sqrt', unaryKind('sqrt'), squares, FLAVOUR, tf.sqrt);
  }
  return binaryOp(
    site,
    '**',
    reduce(site, 'sum', binaryOp(site, '**', absX, p), axes, keep, { opName: 'norm' }),
    1 / p,
  );
});
