"""Losses for the Keras model (softmax output, one-hot masks, channels last)."""
from tensorflow.keras import backend as K
from tensorflow.keras.losses import categorical_crossentropy


def dice_coef(y_pred, y_true, smooth=1.0):
    intersection = K.sum(y_true * y_pred, axis=[1, 2])
    union = K.sum(y_true, axis=[1, 2]) + K.sum(y_pred, axis=[1, 2])
    return K.mean((2.0 * intersection + smooth) / (union + smooth))


def cce_dice_loss(y_pred, y_true):
    return categorical_crossentropy(y_true, y_pred) + (1.0 - dice_coef(y_pred, y_true))
