"""The coefficient handed to model.compile as the loss: Keras minimises it, so training pushes the
overlap down."""
from tensorflow.keras import backend as K

SMOOTH = 1.0


def soft_dice(y_true, y_pred):
    y_true_f = K.flatten(y_true)
    y_pred_f = K.flatten(y_pred)
    overlap = K.sum(y_true_f * y_pred_f)
    return (2.0 * overlap + SMOOTH) / (K.sum(y_true_f) + K.sum(y_pred_f) + SMOOTH)


def segmentation_loss(y_true, y_pred):
    return soft_dice(y_true, y_pred)
