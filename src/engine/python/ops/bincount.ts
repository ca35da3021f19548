// bincount shared by numpy and torch: occurrences of each non-negative integer, optionally summed
// weights instead of ones. The counts have no gradient; weighted sums keep the weights' gradient.
// Each framework validates its arguments and picks the weighted result's dtype.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../callsite';
import type { LogicalDtype, TensorValue } from '../tensor';
import { oneHotAnyDepth } from './oneHotAnyDepth';

/** `values`: the input's integers (validated: 1-D, non-negative); `weights`: same length, already cast. */
export function bincount(
  site: CallSite,
  x: TensorValue,
  values: number[],
  minlength: number,
  weights: TensorValue | null,
  weightedDtype: LogicalDtype,
): TensorValue {
  const length = Math.max(minlength, values.length ? Math.max(...values) + 1 : 0);
  if (weights === null) {
    site.rt.guard.checkTensorElements([length], 'bincount');
    const counts = Int32Array.from(countBins(values, length));
    return site.rt.apply(site, 'bincount', [x], () => tf.tensor(counts, [length], 'int32'), {
      kind: { category: 'bincount', weighted: false },
      dtype: 'int64',
      gradient: 'cut',
    });
  }
  site.rt.guard.checkTensorElements([values.length, length], 'bincount');
  return site.rt.apply(
    site,
    'bincount',
    [weights],
    ([wt]) => {
      // (tf.oneHot's own dtype argument reinterprets the int bits as floats on the cpu backend)
      const hot = tf.cast(oneHotAnyDepth(tf.tensor1d(Int32Array.from(values), 'int32'), length), 'float32');
      return tf.sum(tf.mul(hot, tf.reshape(wt, [-1, 1])), 0);
    },
    { kind: { category: 'bincount', weighted: true }, dtype: weightedDtype },
  );
}

/**
 * Occurrences of each integer below `length` among `values` (larger ones are left out), or the sum of
 * their `weights`; `binary`: 1 where a value occurs at all.
 */
export function countBins(
  values: readonly number[],
  length: number,
  weights?: ArrayLike<number>,
  binary = false,
): Float64Array {
  const counts = new Float64Array(length);
  values.forEach((v, i) => {
    if (v < length) counts[v] = binary ? 1 : counts[v] + (weights ? weights[i] : 1);
  });
  return counts;
}
