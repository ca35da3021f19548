"""Focal cross-entropy normalised by the focal mass of the foreground.

Used as model.compile(loss=normalised_focal_loss) with a softmax head.
"""
import tensorflow as tf


def normalised_focal_loss(y_true, y_pred, gamma=2.0):
    """RetinaNet-style normalisation: divide by the (constant) total modulating weight."""
    y_true = tf.cast(y_true, y_pred.dtype)
    y_pred = tf.clip_by_value(y_pred, 1e-7, 1.0 - 1e-7)
    modulator = tf.stop_gradient(tf.pow(1.0 - y_pred, gamma))
    weights = y_true * modulator
    normaliser = tf.stop_gradient(tf.reduce_sum(weights, axis=[1, 2, 3]) + 1.0)
    ce = -tf.reduce_sum(weights * tf.math.log(y_pred), axis=[1, 2, 3])
    return ce / normaliser
