"""Overlap losses built on SegLoss; use them with model.compile(loss=DiceLoss())."""
from .base import SegLoss


class DiceLoss(SegLoss):
    def class_scores(self, tp, fp, fn):
        return (2.0 * tp + self.smooth) / (2.0 * tp + fp + fn + self.smooth)


class JaccardLoss(SegLoss):
    def class_scores(self, tp, fp, fn):
        return (tp + self.smooth) / (tp + fp + fn + self.smooth)
