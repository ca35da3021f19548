"""A Keras Dice loss without a smoothing term: fine on most batches, NaN on a patch that has no
lesion and a prediction that (correctly) has none either."""
from tensorflow.keras import backend as K


def dice_coefficient(y_true, y_pred):
    overlap = K.sum(y_true * y_pred, axis=[1, 2, 3])
    return 2.0 * overlap / (K.sum(y_true, axis=[1, 2, 3]) + K.sum(y_pred, axis=[1, 2, 3]))


def dice_loss(y_true, y_pred):
    return 1.0 - K.mean(dice_coefficient(y_true, y_pred))
