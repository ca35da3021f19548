"""Soft overlap losses on numpy arrays, used to compare checkpoints offline.

y_true: one-hot masks (batch, H, W, C); y_pred: softmax maps of the same shape.
"""
import numpy as np

from ._reduce import per_class_sum, safe_divide


def soft_dice_loss(y_true, y_pred, smooth=1.0):
    inter = per_class_sum(y_true * y_pred)
    total = per_class_sum(y_true) + per_class_sum(y_pred)
    dice = safe_divide(2.0 * inter, total, smooth)
    return 1.0 - dice.mean()


def log_cosh_tversky_loss(y_true, y_pred, alpha=0.3, beta=0.7, smooth=1.0):
    tp = per_class_sum(y_true * y_pred)
    fp = per_class_sum((1 - y_true) * y_pred)
    fn = per_class_sum(y_true * (1 - y_pred))
    tversky = safe_divide(tp, tp + alpha * fp + beta * fn, smooth)
    return np.log(np.cosh(1.0 - tversky)).mean()
