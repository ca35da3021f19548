// Reductions: sum/mean/prod/nansum/logsumexp/any/all/amax/amin, var/std (correction), max/min (full,
// along a dim with indices, or elementwise), argmax/argmin and count_nonzero (the norms are in linalg.ts).
import * as tf from '@tensorflow/tfjs';
import { typeError } from '../../errors';
import { elementwiseKind } from '../../opKinds';
import { binaryFunction, binaryOp } from '../../ops/elementwise';
import { cumsumValue } from '../../ops/arraylib';
import { argReduce, normaliseAxis, reduce, type ReduceKind } from '../../ops/reduce';
import { isTensor } from '../../protocols';
import { isFloatDtype } from '../../tensor';
import { PyTuple } from '../../values';
import { boolArg, floatArg, intArg, optionalAxes, optionalInt, parseDtype } from '../common';
import { FLAVOUR } from './arguments';
import { both } from './tables';

const REDUCTIONS: Record<string, ReduceKind> = {
  sum: 'sum',
  mean: 'mean',
  prod: 'prod',
  nansum: 'sum',
  logsumexp: 'logsumexp',
  any: 'any',
  all: 'all',
  amax: 'max',
  amin: 'min',
};
for (const [name, kind] of Object.entries(REDUCTIONS)) {
  both(name, ['dim=None', 'keepdim=False', '*', 'dtype=None'], (x, a, site) => {
    if (kind === 'logsumexp' && a.dim === null) throw typeError('logsumexp() missing required argument: dim');
    return reduce(site, kind, x, optionalAxes(a.dim), boolArg(a.keepdim), {
      opName: name,
      dtype: parseDtype(a.dtype, FLAVOUR),
    });
  });
}

for (const [name, kind] of [
  ['var', 'var'],
  ['std', 'std'],
] as const) {
  both(name, ['dim=None', 'unbiased=True', 'keepdim=False', '*', 'correction=None'], (x, a, site) => {
    const correction = a.correction !== null ? floatArg(a.correction) : boolArg(a.unbiased) ? 1 : 0;
    return reduce(site, kind, x, optionalAxes(a.dim), boolArg(a.keepdim), { correction, opName: name });
  });
}

/** torch.max/min: full reduction, (values, indices) along a dim, or elementwise with a tensor. */
for (const name of ['max', 'min'] as const) {
  both(
    name,
    ['dim=None', 'keepdim=False'],
    (x, a, site) => {
      if (a.dim === null) return reduce(site, name, x, undefined, false, { opName: name });
      if (isTensor(a.dim)) {
        const operator = name === 'max' ? 'maximum' : 'minimum';
        const f = name === 'max' ? tf.maximum : tf.minimum;
        return binaryFunction(site, operator, elementwiseKind(operator), x, a.dim, f, FLAVOUR);
      }
      const dim = intArg(a.dim, 'dim');
      const keep = boolArg(a.keepdim);
      const values = reduce(site, name, x, [dim], keep, { opName: name });
      const indices = argReduce(site, name === 'max' ? 'argmax' : 'argmin', x, dim, keep, `${name}_indices`);
      return new PyTuple([values, indices], `torch.return_types.${name}`, ['values', 'indices']);
    },
    { axis: 'dim', keepdims: 'keepdim', other: 'dim' },
  );
}

for (const name of ['argmax', 'argmin'] as const) {
  both(name, ['dim=None', 'keepdim=False'], (x, a, site) =>
    argReduce(site, name, x, optionalInt(a.dim, 'dim'), boolArg(a.keepdim)),
  );
}

both('count_nonzero', ['dim=None'], (x, a, site) => {
  const mask = binaryOp(site, '!=', x, 0n);
  return reduce(site, 'sum', mask, optionalAxes(a.dim), false, { opName: 'count_nonzero' });
});

/** cumsum along `dim` (ints and bools sum as int64, as torch's). */
both(
  'cumsum',
  ['dim', '*', 'dtype=None'],
  (x, a, site) => {
    const dtype = parseDtype(a.dtype, FLAVOUR) ?? (isFloatDtype(x.dtype) ? x.dtype : 'int64');
    return cumsumValue(site, x, normaliseAxis(intArg(a.dim, 'dim'), Math.max(x.rank, 1)), dtype);
  },
  { axis: 'dim' },
);
