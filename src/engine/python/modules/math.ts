// Python's math module (scalars only, like the real one).
import { iterate, toFloat } from '../protocols';
import { binary } from '../operators';
import { BuiltinFunction, type PyValue } from '../values';
import { typeError, valueError } from '../errors';
import { registerModule } from './registry';

const unary = (name: string, f: (x: number) => number, domain?: (x: number) => boolean) =>
  new BuiltinFunction(`math.${name}`, (a) => {
    if (a.positional.length !== 1)
      throw typeError(`math.${name}() takes exactly one argument (${a.positional.length} given)`);
    const x = toFloat(a.positional[0], `math.${name}() argument`);
    if (domain && !domain(x)) throw valueError('math domain error');
    return f(x);
  });

const predicate = (name: string, f: (x: number) => boolean) =>
  new BuiltinFunction(`math.${name}`, (a) => f(toFloat(a.positional[0], `math.${name}() argument`)));

registerModule(
  'math',
  () =>
    new Map<string, PyValue>([
      ['pi', Math.PI],
      ['e', Math.E],
      ['inf', Infinity],
      ['nan', NaN],
      ['tau', 2 * Math.PI],
      ['exp', unary('exp', Math.exp)],
      [
        'log',
        new BuiltinFunction('math.log', (a) => {
          const x = toFloat(a.positional[0]);
          if (x <= 0) throw valueError('math domain error');
          return a.positional.length > 1 ? Math.log(x) / Math.log(toFloat(a.positional[1])) : Math.log(x);
        }),
      ],
      ['log2', unary('log2', Math.log2, (x) => x > 0)],
      ['log10', unary('log10', Math.log10, (x) => x > 0)],
      ['log1p', unary('log1p', Math.log1p, (x) => x > -1)],
      ['sqrt', unary('sqrt', Math.sqrt, (x) => x >= 0)],
      ['fabs', unary('fabs', Math.abs)],
      ['sin', unary('sin', Math.sin)],
      ['cos', unary('cos', Math.cos)],
      ['tan', unary('tan', Math.tan)],
      ['tanh', unary('tanh', Math.tanh)],
      ['atan', unary('atan', Math.atan)],
      ['cosh', unary('cosh', Math.cosh)],
      ['sinh', unary('sinh', Math.sinh)],
      ['floor', new BuiltinFunction('math.floor', (a) => BigInt(Math.floor(toFloat(a.positional[0]))))],
      ['ceil', new BuiltinFunction('math.ceil', (a) => BigInt(Math.ceil(toFloat(a.positional[0]))))],
      ['trunc', new BuiltinFunction('math.trunc', (a) => BigInt(Math.trunc(toFloat(a.positional[0]))))],
      ['pow', new BuiltinFunction('math.pow', (a) => toFloat(a.positional[0]) ** toFloat(a.positional[1]))],
      ['isnan', predicate('isnan', (x) => Number.isNaN(x))],
      ['isinf', predicate('isinf', (x) => !Number.isFinite(x) && !Number.isNaN(x))],
      ['isfinite', predicate('isfinite', (x) => Number.isFinite(x))],
      ['erf', unary('erf', erf)],
      [
        'isclose',
        new BuiltinFunction('math.isclose', (a) => {
          const x = toFloat(a.positional[0]);
          const y = toFloat(a.positional[1]);
          const rel = a.keywords.has('rel_tol') ? toFloat(a.keywords.get('rel_tol')!) : 1e-9;
          const abs = a.keywords.has('abs_tol') ? toFloat(a.keywords.get('abs_tol')!) : 0;
          return x === y || Math.abs(x - y) <= Math.max(rel * Math.max(Math.abs(x), Math.abs(y)), abs);
        }),
      ],
      [
        'fsum',
        new BuiltinFunction('math.fsum', (a, site) =>
          [...iterate(a.positional[0], site)].reduce<number>((acc, v) => acc + toFloat(v), 0),
        ),
      ],
      [
        'prod',
        new BuiltinFunction('math.prod', (a, site) =>
          [...iterate(a.positional[0], site)].reduce<PyValue>((acc, v) => binary('*', acc, v, site), 1n),
        ),
      ],
    ]),
);

/** Abramowitz–Stegun 7.1.26 is too coarse for golden values; this series/continued fraction is exact to ~1e-15. */
function erf(x: number): number {
  const t = Math.abs(x);
  if (t < 2.5) {
    let sum = t;
    let term = t;
    for (let n = 1; n < 100; n++) {
      term *= (-t * t) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  let frac = 0;
  for (let n = 60; n >= 1; n--) frac = n / 2 / (t + frac);
  return Math.sign(x) * (1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + frac));
}
