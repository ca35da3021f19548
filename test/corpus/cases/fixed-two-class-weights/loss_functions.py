"""Two-class (background / lesion) losses for softmax outputs, channels last.

Both losses hard-code one weight per class, so they expect exactly two
output channels.
"""
import tensorflow as tf
from tensorflow.keras import backend as K

BETA = 0.25


def spatial_axes(shape):
    """Image axes of a (b, h, w, c) or (b, x, y, z, c) batch."""
    rank = len(shape)
    if rank not in (4, 5):
        raise ValueError(f"expected a 2-D or 3-D batch (rank 4 or 5), got rank {rank}")
    return list(range(1, rank - 1))


def weighted_dice_loss(y_true, y_pred):
    """Dice per class, background weighted by BETA and lesion by 1 - BETA."""
    class_weights = K.constant([BETA, 1.0 - BETA])
    axes = spatial_axes(y_true.get_shape())
    inter = K.sum(y_true * y_pred, axis=axes)
    denom = K.sum(y_true + y_pred, axis=axes)
    dice = (2.0 * inter + K.epsilon()) / (denom + K.epsilon())
    return 1.0 - K.sum(dice * class_weights, axis=-1)


def lesion_focal_tversky_loss(delta=0.7, gamma=0.75):
    """Tversky loss with a focal exponent on the lesion term only."""

    def loss(y_true, y_pred):
        eps = K.epsilon()
        y_pred = K.clip(y_pred, eps, 1.0 - eps)
        axes = spatial_axes(y_true.get_shape())
        tp = K.sum(y_true * y_pred, axis=axes)
        fn = K.sum(y_true * (1 - y_pred), axis=axes)
        fp = K.sum((1 - y_true) * y_pred, axis=axes)
        ti = (tp + eps) / (tp + delta * fn + (1 - delta) * fp + eps)

        background = 1 - ti[:, 0]
        lesion = K.pow(1 - ti[:, 1], 1 - gamma)
        return K.mean(tf.stack([background, lesion], axis=-1))

    return loss
