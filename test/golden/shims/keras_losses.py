"""keras.losses / tf.keras.losses (Keras 2) on the shim backend.

Loss functions follow keras/losses.py: ``y_pred`` is converted, ``y_true`` is
cast to ``y_pred.dtype`` (except the sparse variant), and the per-element
loss is averaged over ``axis=-1`` where Keras does so (binary crossentropy,
MSE, MAE).  ``Loss.__call__`` applies the default reduction,
SUM_OVER_BATCH_SIZE: the sum of ``call``'s result divided by its number of
elements, i.e. its mean.
"""

import torch

from . import keras_backend as backend
from . import tf_core as tf


def _prep(y_true, y_pred):
    y_pred = tf.wrap(tf.convert_to_tensor(y_pred))
    y_true = tf.cast(y_true, y_pred.dtype)
    return y_true, y_pred


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _prep(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return backend.mean(backend.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _prep(y_true, y_pred)
    if label_smoothing:
        num_classes = tf.cast(tf.shape(y_true)[-1], y_pred.dtype)
        y_true = y_true * (1.0 - label_smoothing) + (label_smoothing / num_classes)
    return backend.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1, ignore_class=None):
    return backend.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits,
                                                   axis=axis, ignore_class=ignore_class)


def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    return backend.mean(tf.squared_difference(y_pred, y_true), axis=-1)


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    return backend.mean(tf.abs(y_pred - y_true), axis=-1)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _prep(y_true, y_pred)
    return backend.mean(backend.binary_focal_crossentropy(
        y_true, y_pred, apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
        from_logits=from_logits), axis=axis)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
bce = binary_crossentropy


class Reduction:
    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"


def _reduce(losses, reduction):
    losses = tf.convert_to_tensor(losses)
    if reduction == Reduction.NONE:
        return tf.wrap(losses)
    total = torch.sum(losses)
    if reduction == Reduction.SUM:
        return tf.wrap(total)
    return tf.wrap(total / losses.numel())


class Loss:
    """tf.keras.losses.Loss: subclasses implement call(y_true, y_pred)."""

    def __init__(self, reduction=Reduction.AUTO, name=None, **kwargs):
        self.reduction = reduction
        self.name = name

    def __call__(self, y_true, y_pred, sample_weight=None):
        losses = self.call(y_true, y_pred)
        if sample_weight is not None:
            losses = losses * sample_weight
        return _reduce(losses, self.reduction)

    def call(self, y_true, y_pred):
        raise NotImplementedError("Must be implemented in subclasses.")

    def get_config(self):
        return {"reduction": self.reduction, "name": self.name}


class LossFunctionWrapper(Loss):
    def __init__(self, fn, reduction=Reduction.AUTO, name=None, **kwargs):
        super().__init__(reduction=reduction, name=name)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)


class BinaryCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction=Reduction.AUTO, name="binary_crossentropy"):
        super().__init__(binary_crossentropy, reduction=reduction, name=name,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class CategoricalCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction=Reduction.AUTO, name="categorical_crossentropy"):
        super().__init__(categorical_crossentropy, reduction=reduction, name=name,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits=False, ignore_class=None,
                 reduction=Reduction.AUTO, name="sparse_categorical_crossentropy"):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name,
                         from_logits=from_logits, ignore_class=ignore_class)


class MeanSquaredError(LossFunctionWrapper):
    def __init__(self, reduction=Reduction.AUTO, name="mean_squared_error"):
        super().__init__(mean_squared_error, reduction=reduction, name=name)


def get(identifier):
    if callable(identifier):
        return identifier
    return globals()[identifier]
