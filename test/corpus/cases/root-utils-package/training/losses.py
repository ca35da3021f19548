# Losses for the nerve segmentation model (binary masks, sigmoid output).
# Scripts in this folder are started from the repository root:
#     python training/train.py
from tensorflow.keras import backend as K
from tensorflow.keras.losses import binary_crossentropy

from utils import tensor_ops


def dice_similarity(y_true, y_pred):
    t = tensor_ops.flatten(y_true)
    p = tensor_ops.flatten(y_pred)
    overlap = K.sum(t * p)
    return 2.0 * overlap / (K.sum(t) + K.sum(p))


def dice_loss(y_true, y_pred):
    return 1.0 - dice_similarity(y_true, y_pred)


def bce_dice_loss(y_true, y_pred):
    bce = binary_crossentropy(y_true, tensor_ops.clip_probabilities(y_pred))
    return bce + dice_loss(y_true, y_pred)
