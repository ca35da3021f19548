"""Loss factories for the lesion model.

Each factory returns a function with the (y_true, y_pred) signature Keras
expects, closed over its hyper-parameters.
"""
import tensorflow as tf
from tensorflow.keras import backend as K


def tversky_loss(alpha, beta, smooth=1e-6):
    """Tversky loss; alpha weighs false positives, beta false negatives."""

    def loss(y_true, y_pred):
        y_true = tf.cast(y_true, tf.float32)
        axes = [1, 2]
        tp = K.sum(y_true * y_pred, axis=axes)
        fp = K.sum((1.0 - y_true) * y_pred, axis=axes)
        fn = K.sum(y_true * (1.0 - y_pred), axis=axes)
        index = (tp + smooth) / (tp + alpha * fp + beta * fn + smooth)
        return K.mean(1.0 - index, axis=-1)

    loss.__name__ = f"tversky_{alpha}_{beta}"
    return loss


def focal_tversky_loss(alpha, beta, gamma):
    base = tversky_loss(alpha, beta)

    def loss(y_true, y_pred):
        return K.pow(base(y_true, y_pred), 1.0 / gamma)

    return loss
