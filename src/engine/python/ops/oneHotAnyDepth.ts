// tf.oneHot for every depth the frameworks accept. TF.js refuses depths under 2, but PyTorch
// (F.one_hot(x, num_classes=1)), TensorFlow (tf.one_hot(x, 1)), Theano and bincount take them: a
// binary loss written for one class channel (RMI's num_classes=1) one-hots its labels at depth 1.
import * as tf from '@tensorflow/tfjs';

/** tf.oneHot (int32, a last axis of `depth`) at any depth; indices outside [0, depth) give `off` everywhere. */
export function oneHotAnyDepth(indices: tf.Tensor, depth: number, on = 1, off = 0): tf.Tensor {
  if (depth >= 2) return tf.oneHot(indices, depth, on, off);
  if (depth <= 0) return tf.fill([...indices.shape, 0], off, 'int32');
  // depth 1: the only column is `on` where the index is 0
  const hit = tf.equal(tf.cast(indices, 'int32'), 0);
  const column = tf.where(hit, tf.fill(indices.shape, on, 'int32'), tf.fill(indices.shape, off, 'int32'));
  return tf.expandDims(column, -1);
}
