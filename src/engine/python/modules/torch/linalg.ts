// Norms: torch.norm, Tensor.norm, torch.linalg.vector_norm, torch.linalg.norm and matrix_norm. A
// vector norm is one `norm` reduction (the ±inf norms are the max/min of |x|); the 2-norm's gradient
// is 0 at a zero vector, as torch defines it (d sqrt(s)/ds is infinite there).
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { runtimeError, unsupported } from '../../errors';
import { reductionKind, unaryKind } from '../../opKinds';
import { castTensor } from '../../ops/coercion';
import { unaryOp } from '../../ops/elementwise';
import { absSignGrad } from '../../ops/select';
import { detach } from '../../runtime';
import { normaliseAxis, reduce } from '../../ops/reduce';
import { squeeze } from '../../ops/shape';
import { toAxes, toFloat } from '../../protocols';
import { type TensorValue, isFloatDtype } from '../../tensor';
import type { PyValue } from '../../values';
import { type Bound, boolArg, def, parseDtype } from '../common';
import { FLAVOUR, T } from './arguments';
import { both } from './tables';

type Kernel = Parameters<typeof tf.customGrad>[0];

/** sqrt whose gradient is 0 where its input is 0 (a norm's zero vector). */
const normSqrt = tf.customGrad(((s: tf.Tensor, save: tf.GradSaveFunc) => {
  const root = tf.sqrt(s);
  save([root]);
  return {
    value: root,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [r] = saved;
      return tf.where(tf.equal(r, 0), tf.zerosLike(r), tf.div(tf.mul(dy, 0.5), r));
    },
  };
}) as unknown as Kernel) as (s: tf.Tensor) => tf.Tensor;

function floatInput(site: CallSite, x: TensorValue, what: string, dtype: PyValue = null): TensorValue {
  const wanted = parseDtype(dtype, FLAVOUR);
  if (!isFloatDtype(x.dtype))
    throw runtimeError(`${what}: Expected a floating point or complex tensor as input. Got ${x.dtype}`);
  return wanted && wanted !== x.dtype ? castTensor(site, x, wanted) : x;
}

/**
 * The p-norm over `dims` (all when undefined): one `norm` reduction for a finite p (2, 1, 0: the
 * count of non-zeros, any p), and the max/min of |x| it is for ±inf.
 */
export function vectorNorm(
  site: CallSite,
  x: TensorValue,
  ord: number,
  dims: number[] | undefined,
  keepdim: boolean,
  opName: string,
): TensorValue {
  if (!Number.isFinite(ord)) {
    const abs = unaryOp(site, 'abs', unaryKind('abs'), x, FLAVOUR, absSignGrad, 'same');
    return reduce(site, ord > 0 ? 'max' : 'min', abs, dims, keepdim, { opName });
  }
  const axes = dims?.map((d) => normaliseAxis(d, x.rank));
  if (axes && new Set(axes).size !== axes.length)
    throw runtimeError(`${opName}: dim appears multiple times in the list of dims`);
  const all = axes ?? x.shape.map((_, i) => i);
  return site.rt.apply(
    site,
    opName,
    [x],
    ([t]) => {
      if (ord === 2) return normSqrt(tf.sum(tf.mul(t, t), all, keepdim));
      if (ord === 1) return tf.sum(absSignGrad(t), all, keepdim);
      // the count of non-zero entries: a constant as far as the gradient goes
      if (ord === 0) return tf.sum(tf.cast(tf.notEqual(detach(t), 0), 'float32'), all, keepdim);
      return tf.pow(tf.sum(tf.pow(absSignGrad(t), ord), all, keepdim), 1 / ord);
    },
    { kind: { ...reductionKind('norm', axes, keepdim), ord }, dtype: x.dtype },
  );
}

function ordArg(value: PyValue): number {
  if (value === 'fro') return 2;
  return toFloat(value, 'ord');
}

/** torch.linalg.matrix_norm over the two axes `dims`: 'fro', ±1 (column sums), ±inf (row sums). */
function matrixNorm(
  site: CallSite,
  x: TensorValue,
  ord: PyValue,
  dims: number[],
  keepdim: boolean,
  opName: string,
): TensorValue {
  if (x.rank < 2) throw runtimeError(`${opName}: The input tensor A must have at least 2 dimensions.`);
  const [rows, cols] = dims.map((d) => normaliseAxis(d, x.rank));
  if (rows === cols) throw runtimeError(`${opName}: dims must be different. Got (${dims.join(', ')})`);
  if (ord === 'fro') return vectorNorm(site, x, 2, [rows, cols], keepdim, opName);
  if (ord === 'nuc' || ord === 2n || ord === -2n || ord === 2 || ord === -2)
    throw unsupported(`${opName} with ord=${String(ord)} (singular values)`);
  const p = toFloat(ord, 'ord');
  if (Math.abs(p) !== 1 && Math.abs(p) !== Infinity) throw runtimeError(`${opName}: Order ${p} not supported.`);
  // ±1: the largest/smallest column sum (summed over rows); ±inf: the largest/smallest row sum
  const [summed, across] = Math.abs(p) === 1 ? [rows, cols] : [cols, rows];
  const abs = unaryOp(site, 'abs', unaryKind('abs'), x, FLAVOUR, tf.abs, 'same');
  const sums = reduce(site, 'sum', abs, [summed], true, { opName });
  const extreme = reduce(site, p > 0 ? 'max' : 'min', sums, [across], true, { opName });
  return keepdim ? extreme : squeeze(site, extreme, [rows, cols], false, opName);
}

export const linalg = new Map<string, PyValue>([
  [
    'vector_norm',
    def(
      'torch.linalg.vector_norm',
      ['x', 'ord=2', 'dim=None', 'keepdim=False', '*', 'dtype=None', 'out=None'],
      (a, site) => {
        const x = floatInput(site, T(site, a.x), 'linalg.vector_norm', a.dtype);
        return vectorNorm(site, x, ordArg(a.ord), toAxes(a.dim), boolArg(a.keepdim), 'vector_norm');
      },
      { input: 'x' },
    ),
  ],
  [
    'matrix_norm',
    def(
      'torch.linalg.matrix_norm',
      ['A', "ord='fro'", 'dim=None', 'keepdim=False', '*', 'dtype=None', 'out=None'],
      (a, site) => {
        const x = floatInput(site, T(site, a.A), 'linalg.matrix_norm', a.dtype);
        return matrixNorm(site, x, a.ord, toAxes(a.dim) ?? [-2, -1], boolArg(a.keepdim), 'matrix_norm');
      },
      { input: 'A' },
    ),
  ],
  [
    'norm',
    def(
      'torch.linalg.norm',
      ['A', 'ord=None', 'dim=None', 'keepdim=False', '*', 'out=None', 'dtype=None'],
      linalgNorm,
      {
        input: 'A',
      },
    ),
  ],
]);

/** torch.linalg.norm: a vector norm (1-D input, or one dim), a matrix norm (2-D input, or two dims). */
function linalgNorm(a: Bound, site: CallSite): TensorValue {
  const x = floatInput(site, T(site, a.A), 'linalg.norm', a.dtype);
  const keepdim = boolArg(a.keepdim);
  const dims = toAxes(a.dim);
  if (dims === undefined && a.ord === null) return vectorNorm(site, x, 2, undefined, keepdim, 'norm');
  if (dims === undefined) {
    if (x.rank === 1) return vectorNorm(site, x, ordArg(a.ord), undefined, keepdim, 'norm');
    if (x.rank === 2) return matrixNorm(site, x, a.ord, [0, 1], keepdim, 'norm');
    throw runtimeError(`linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got ${x.rank}D.`);
  }
  if (dims.length === 1) return vectorNorm(site, x, a.ord === null ? 2 : ordArg(a.ord), dims, keepdim, 'norm');
  if (dims.length === 2) return matrixNorm(site, x, a.ord ?? 'fro', dims, keepdim, 'norm');
  throw runtimeError(`linalg.norm: If dim is specified, it must be of length 1 or 2. Got [${dims.join(', ')}]`);
}

both(
  'norm',
  ["p='fro'", 'dim=None', 'keepdim=False', 'dtype=None'],
  (x, a, site) => {
    if (a.p === 'nuc') throw unsupported("torch.norm(p='nuc') (singular values)");
    const input = parseDtype(a.dtype, FLAVOUR) ? castTensor(site, x, parseDtype(a.dtype, FLAVOUR)!) : x;
    return vectorNorm(site, input, a.p === null ? 2 : ordArg(a.p), toAxes(a.dim), boolArg(a.keepdim), 'norm');
  },
  { axis: 'dim', keepdims: 'keepdim', ord: 'p' },
);
