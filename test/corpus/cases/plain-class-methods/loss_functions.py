"""
Segmentation losses collected in one class so a notebook can pick one by name:

    losses = SegmentationLosses()
    model.compile(optimizer="adam", loss=losses.focal_tversky, metrics=[losses.dice_coefficient])

All methods expect binary masks and sigmoid outputs of shape (batch, H, W, 1).
"""
import tensorflow as tf
from tensorflow.keras import backend as K

print("TensorFlow", tf.__version__)


class SegmentationLosses(object):
    def __init__(self, smooth=1.0, alpha=0.7, gamma=0.75):
        self.smooth = smooth
        self.alpha = alpha
        self.gamma = gamma
        print("initialized segmentation losses")

    def dice_coefficient(self, y_true, y_pred):
        t = K.flatten(y_true)
        p = K.flatten(y_pred)
        overlap = K.sum(t * p)
        return (2.0 * overlap + self.smooth) / (K.sum(t) + K.sum(p) + self.smooth)

    def dice_loss(self, y_true, y_pred):
        return 1.0 - self.dice_coefficient(y_true, y_pred)

    def bce_dice_loss(self, y_true, y_pred):
        return tf.keras.losses.binary_crossentropy(y_true, y_pred) + self.dice_loss(y_true, y_pred)

    def tversky_index(self, y_true, y_pred):
        t = K.flatten(y_true)
        p = K.flatten(y_pred)
        tp = K.sum(t * p)
        fn = K.sum(t * (1 - p))
        fp = K.sum((1 - t) * p)
        return (tp + self.smooth) / (tp + self.alpha * fn + (1 - self.alpha) * fp + self.smooth)

    def tversky_loss(self, y_true, y_pred):
        return 1 - self.tversky_index(y_true, y_pred)

    def focal_tversky(self, y_true, y_pred):
        return K.pow(1 - self.tversky_index(y_true, y_pred), self.gamma)

    def jaccard_loss(self, y_true, y_pred):
        mask = K.round(y_pred)
        overlap = K.sum(y_true * mask, axis=[1, 2, 3])
        union = K.sum(y_true, axis=[1, 2, 3]) + K.sum(mask, axis=[1, 2, 3]) - overlap
        return 1 - (overlap + self.smooth) / (union + self.smooth)
