"""Dice loss, ported from our PyTorch code base to the Keras model."""
from tensorflow.keras import backend as K


def dice_loss(y_true, y_pred, smooth=1.0):
    # per image and class: sum over the spatial dimensions
    intersection = K.sum(y_true * y_pred, axis=(2, 3))
    union = K.sum(y_true, axis=(2, 3)) + K.sum(y_pred, axis=(2, 3))
    dice = (2. * intersection + smooth) / (union + smooth)
    return 1. - K.mean(dice)
