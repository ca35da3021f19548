"""Loss used by train_keras.py; logs its settings through loguru."""
import tensorflow as tf
from loguru import logger


class WeightedCCEDiceLoss(tf.keras.losses.Loss):
    """Class-weighted categorical cross-entropy plus soft Dice (channels last)."""

    def __init__(self, class_weights=(0.1, 1.0, 1.0), dice_weight=1.0, smooth=1.0,
                 name="weighted_cce_dice"):
        super().__init__(name=name)
        self.class_weights = tf.constant(class_weights, dtype=tf.float32)
        self.dice_weight = dice_weight
        self.smooth = smooth
        logger.info("{} with class weights {} and dice weight {}", name, class_weights, dice_weight)

    def call(self, y_true, y_pred):
        y_true = tf.cast(y_true, tf.float32)
        y_pred = tf.clip_by_value(y_pred, 1e-7, 1.0 - 1e-7)
        logger.debug("loss traced for prediction shape {}", y_pred.shape)

        cce = -tf.reduce_sum(self.class_weights * y_true * tf.math.log(y_pred), axis=-1)
        cce = tf.reduce_mean(cce, axis=[1, 2])

        inter = tf.reduce_sum(y_true * y_pred, axis=[1, 2])
        denom = tf.reduce_sum(y_true + y_pred, axis=[1, 2])
        dice = 1.0 - tf.reduce_mean((2.0 * inter + self.smooth) / (denom + self.smooth), axis=-1)
        return cce + self.dice_weight * dice
