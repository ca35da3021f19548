// Reductions (sum, mean, max, ..., argmax) with each framework's dtype rules.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../callsite';
import { indexError, runtimeError, typeError } from '../errors';
import { type OpKind, reductionKind } from '../opKinds';
import { type LogicalDtype, TensorValue, isFloatDtype } from '../tensor';
import { castTensor, defaultFloat, defaultInt } from './coercion';

export type ReduceKind = 'sum' | 'mean' | 'max' | 'min' | 'prod' | 'any' | 'all' | 'logsumexp' | 'var' | 'std';

export function normaliseAxis(axis: number, rank: number): number {
  const effectiveRank = Math.max(rank, 1);
  if (axis < -effectiveRank || axis >= effectiveRank) {
    throw indexError(
      `Dimension out of range (expected to be in range of [${-effectiveRank}, ` +
        `${effectiveRank - 1}], but got ${axis})`,
    );
  }
  return axis < 0 ? axis + effectiveRank : axis;
}

function normaliseAxes(axes: number[] | undefined, rank: number): number[] | undefined {
  if (axes === undefined) return undefined;
  const out = axes.map((a) => normaliseAxis(a, rank));
  if (new Set(out).size !== out.length) throw typeError(`axis ${axes.join(', ')} appears more than once`);
  return rank === 0 ? [] : out;
}

function resultDtype(kind: ReduceKind, x: TensorValue): LogicalDtype {
  switch (kind) {
    case 'any':
    case 'all':
      return 'bool';
    case 'sum':
    case 'prod':
      if (x.dtype === 'bool' || (x.flavour !== 'tf' && !isFloatDtype(x.dtype))) return defaultInt(x.flavour);
      return x.dtype;
    case 'max':
    case 'min':
      return x.dtype;
    default:
      if (isFloatDtype(x.dtype)) return x.dtype;
      if (x.flavour === 'torch') {
        throw runtimeError(
          `${kind}(): could not infer output dtype. Input dtype must be either a floating point ` +
            `or complex dtype. Got: ${x.dtype === 'bool' ? 'Bool' : 'Long'}`,
        );
      }
      return x.flavour === 'tf' && kind === 'mean' && x.dtype !== 'bool' ? x.dtype : defaultFloat(x.flavour);
  }
}

/**
 * A reduction over `axes` (undefined: all). `correction` is the variance's degrees-of-freedom
 * correction (torch: 1 by default, numpy/TF: 0).
 */
export function reduce(
  site: CallSite,
  kind: ReduceKind,
  x: TensorValue,
  axes: number[] | undefined,
  keepdims: boolean,
  options: { correction?: number; opName?: string; dtype?: LogicalDtype } = {},
): TensorValue {
  const dims = normaliseAxes(axes, x.rank);
  const dtype = options.dtype ?? resultDtype(kind, x);
  let input = x;
  if (options.dtype && input.dtype !== options.dtype) input = castTensor(site, input, options.dtype);
  else if (kind !== 'any' && kind !== 'all' && input.dtype === 'bool')
    input = castTensor(site, input, dtype === 'bool' ? defaultInt(x.flavour) : dtype);
  else if (
    (kind === 'mean' || kind === 'var' || kind === 'std' || kind === 'logsumexp') &&
    !isFloatDtype(input.dtype) &&
    isFloatDtype(dtype)
  )
    input = castTensor(site, input, dtype);
  if (x.size === 0 && (kind === 'max' || kind === 'min')) {
    throw runtimeError(`${kind}(): Expected reduction dim to be specified for input.numel() == 0`);
  }
  const axis = dims === undefined ? undefined : dims;
  const gradient = kind === 'any' || kind === 'all' ? 'cut' : 'flow';
  const name = options.opName ?? kind;
  const integerMean = kind === 'mean' && !isFloatDtype(dtype);
  return site.rt.apply(
    site,
    name,
    [input],
    ([t]) => {
      switch (kind) {
        case 'sum':
          return tf.sum(t, axis, keepdims);
        case 'mean':
          return integerMean
            ? tf.floorDiv(tf.sum(t, axis, keepdims), tf.scalar(countOf(t.shape, dims), 'int32'))
            : tf.mean(t, axis, keepdims);
        case 'max':
          return tf.max(t, axis, keepdims);
        case 'min':
          return tf.min(t, axis, keepdims);
        case 'prod':
          return tf.prod(t, axis, keepdims);
        case 'any':
          return tf.any(t.dtype === 'bool' ? t : tf.notEqual(t, 0), axis, keepdims);
        case 'all':
          return tf.all(t.dtype === 'bool' ? t : tf.notEqual(t, 0), axis, keepdims);
        case 'logsumexp':
          return tf.logSumExp(t, axis, keepdims);
        case 'var':
        case 'std': {
          const n = countOf(t.shape, dims);
          const mean = tf.mean(t, axis, true);
          const centered = tf.sub(t, mean);
          const variance = tf.div(
            tf.sum(tf.mul(centered, centered), axis, keepdims),
            tf.scalar(Math.max(n - (options.correction ?? 0), 0)),
          );
          return kind === 'var' ? variance : tf.sqrt(variance);
        }
      }
    },
    { kind: reductionKind(kind, dims, keepdims), dtype, gradient },
  );
}

function countOf(shape: number[], dims: number[] | undefined): number {
  return (dims ?? shape.map((_, i) => i)).reduce((n, d) => n * shape[d], 1);
}

/** argmax/argmin: integer result, no gradient. `axis` undefined: index into the flattened tensor. */
export function argReduce(
  site: CallSite,
  kind: 'argmax' | 'argmin',
  x: TensorValue,
  axis: number | undefined,
  keepdims: boolean,
  opName: string = kind,
): TensorValue {
  const dim = axis === undefined ? undefined : normaliseAxis(axis, x.rank);
  const input = x.dtype === 'bool' ? castTensor(site, x, 'int32') : x;
  const opKind: OpKind = { category: 'argreduction', reducer: kind, axis: dim ?? null, keepdims };
  return site.rt.apply(
    site,
    opName,
    [input],
    ([t]) => {
      const flat = dim === undefined ? tf.reshape(t, [-1]) : t;
      const d = dim ?? 0;
      let out = kind === 'argmax' ? tf.argMax(flat, d) : tf.argMin(flat, d);
      if (keepdims)
        out =
          dim === undefined
            ? tf.reshape(
                out,
                t.shape.map(() => 1),
              )
            : tf.expandDims(out, d);
      return out;
    },
    { kind: opKind, dtype: defaultInt(x.flavour), gradient: 'cut' },
  );
}
