"""Losses for volumes of shape (batch, x, y, z, classes)."""
from tensorflow.keras import backend as K

SMOOTH = 1e-5


def dice_coefficient(y_true, y_pred):
    """Dice per volume and class."""
    axes = [1, 2, 3]
    intersection = K.sum(y_true * y_pred, axis=axes)
    union = K.sum(y_true, axis=axes) + K.sum(y_pred, axis=axes)
    return (2.0 * intersection + SMOOTH) / (union + SMOOTH)


def dice_loss(y_true, y_pred):
    return 1.0 - K.mean(dice_coefficient(y_true, y_pred))
