// Maximum, minimum and where whose gradients *select* (where(mask, dy, 0)) instead of multiplying
// dy by a 0/1 mask, as TensorFlow's MaximumGrad/SelectV2Grad and torch's backward formulas do.
// TF.js's built-in gradients multiply, so an inf upstream gradient at an unselected entry
// (sqrt(maximum(x, 0)) at x < 0, log of a clipped value...) becomes inf * 0 = NaN there, where the
// frameworks give 0. These run inside Runtime.apply computations.
import * as tf from '@tensorflow/tfjs';

type Kernel = Parameters<typeof tf.customGrad>[0];

function commonShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    return x === 1 ? y : x;
  });
}

const expand = (t: tf.Tensor, shape: number[]) =>
  t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]) ? t : tf.broadcastTo(t, shape);

/** The first argument takes ties (x >= y for maximum, x <= y for minimum), as TF's MaximumGrad. */
const selectKernel = (which: 'maximum' | 'minimum') =>
  tf.customGrad(((x: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, y]);
    return {
      value: which === 'maximum' ? tf.maximum(x, y) : tf.minimum(x, y),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [p, q] = saved;
        const mask = which === 'maximum' ? tf.greaterEqual(p, q) : tf.lessEqual(p, q);
        const zeros = tf.zerosLike(dy);
        return [tf.where(mask, dy, zeros), tf.where(mask, zeros, dy)];
      },
    };
  }) as unknown as Kernel);

const MAXIMUM = selectKernel('maximum');
const MINIMUM = selectKernel('minimum');

/** Elementwise maximum with broadcasting; the gradient selects. */
export function selectMaximum(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const shape = commonShape(a.shape, b.shape);
  return MAXIMUM(expand(a, shape), expand(b, shape)) as tf.Tensor;
}

/** Elementwise minimum with broadcasting; the gradient selects. */
export function selectMinimum(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const shape = commonShape(a.shape, b.shape);
  return MINIMUM(expand(a, shape), expand(b, shape)) as tf.Tensor;
}

/** where(condition, a, b) with broadcasting of all three; the gradient selects. */
export function selectWhere(condition: tf.Tensor, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const shape = commonShape(commonShape(condition.shape, a.shape), b.shape);
  const mask = expand(condition.dtype === 'bool' ? condition : tf.cast(condition, 'bool'), shape);
  const kernel = tf.customGrad(((x: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
    save([mask]);
    return {
      value: tf.where(mask, x, y),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const zeros = tf.zerosLike(dy);
        return [tf.where(saved[0], dy, zeros), tf.where(saved[0], zeros, dy)];
      },
    };
  }) as unknown as Kernel);
  return kernel(expand(a, shape), expand(b, shape)) as tf.Tensor;
}

/** |x| with the frameworks' gradient dy·sign(x): 0 at x = 0 (TF.js's Abs gradient gives -1 there). */
export const absSignGrad = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  return {
    value: tf.abs(x),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.sign(saved[0])),
  };
}) as unknown as Kernel) as (x: tf.Tensor) => tf.Tensor;

/**
 * reduce max/min whose gradient splits ties evenly among the extreme entries, as TF's
 * _MinOrMaxGrad and torch.amax/amin do (TF.js gives every tied entry the full gradient).
 */
export function reduceExtreme(
  x: tf.Tensor,
  which: 'max' | 'min',
  axes: number[] | undefined,
  keepdims: boolean,
): tf.Tensor {
  const dims = axes ?? x.shape.map((_, i) => i);
  const outShape = keepdims
    ? x.shape.map((d, i) => (dims.includes(i) ? 1 : d))
    : x.shape.filter((_, i) => !dims.includes(i));
  const kernel = tf.customGrad(((t: tf.Tensor, save: tf.GradSaveFunc) => {
    const y = which === 'max' ? tf.max(t, dims, true) : tf.min(t, dims, true);
    save([t, y]);
    return {
      value: tf.reshape(y, outShape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [input, extreme] = saved;
        const indicators = tf.cast(tf.equal(input, extreme), 'float32');
        const count = tf.sum(indicators, dims, true);
        return tf.mul(tf.div(indicators, count), tf.reshape(dy, extreme.shape));
      },
    };
  }) as unknown as Kernel);
  return kernel(x) as tf.Tensor;
}

/**
 * torch.xlogy: x·log(y), 0 where x == 0 (unless y is NaN), with torch's gradients: log(y) for x
 * (0 where x == 0) and x / y for y. Both inputs broadcast to their common shape first.
 */
export function xlogyKernel(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const shape = commonShape(a.shape, b.shape);
  const zeroed = (x: tf.Tensor, y: tf.Tensor) => tf.logicalAnd(tf.equal(x, 0), tf.logicalNot(tf.isNaN(y)));
  const kernel = tf.customGrad(((x: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, y]);
    return {
      value: tf.where(zeroed(x, y), tf.zerosLike(x), tf.mul(x, tf.log(y))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [p, q] = saved;
        return [tf.mul(dy, tf.where(zeroed(p, q), tf.zerosLike(p), tf.log(q))), tf.mul(dy, tf.div(p, q))];
      },
    };
  }) as unknown as Kernel);
  return kernel(expand(a, shape), expand(b, shape)) as tf.Tensor;
}
