"""Callable loss objects for Keras (channels-last, one-hot masks, softmax output).

    model.compile(optimizer="adam", loss=ComboLoss(alpha=0.5))
"""
from abc import ABC, abstractmethod

from tensorflow.keras import backend as K


class BaseSegLoss(ABC):
    """Casts the labels and hands both tensors to ``compute``."""

    def __init__(self, smooth=1e-6):
        self.smooth = smooth
        # Keras reads __name__ to label the loss in the history
        self.__name__ = type(self).__name__

    def __call__(self, y_true, y_pred):
        y_true = K.cast(y_true, K.floatx())
        return self.compute(y_true, y_pred)

    @abstractmethod
    def compute(self, y_true, y_pred):
        """Return the loss per image, shape (batch,)."""

    def tversky_index(self, y_true, y_pred, alpha):
        axes = [1, 2]
        tp = K.sum(y_true * y_pred, axis=axes)
        fn = K.sum(y_true * (1 - y_pred), axis=axes)
        fp = K.sum((1 - y_true) * y_pred, axis=axes)
        return (tp + self.smooth) / (tp + alpha * fn + (1 - alpha) * fp + self.smooth)


class FocalTverskyLoss(BaseSegLoss):
    def __init__(self, alpha=0.7, gamma=0.75, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.gamma = gamma

    def compute(self, y_true, y_pred):
        ti = self.tversky_index(y_true, y_pred, self.alpha)
        return K.mean(K.pow(1 - ti, self.gamma), axis=-1)


class ComboLoss(BaseSegLoss):
    """Taghanaki et al. 2019: weighted cross-entropy plus Dice."""

    def __init__(self, alpha=0.5, ce_ratio=0.5, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.ce_ratio = ce_ratio

    def compute(self, y_true, y_pred):
        dice = self.tversky_index(y_true, y_pred, 0.5)
        y_pred = K.clip(y_pred, K.epsilon(), 1.0 - K.epsilon())
        ce = -(self.alpha * y_true * K.log(y_pred)) - (1 - self.alpha) * (1.0 - y_true) * K.log(1.0 - y_pred)
        ce = K.mean(ce, axis=[1, 2, 3])
        return self.ce_ratio * ce - (1 - self.ce_ratio) * K.mean(dice, axis=-1)
