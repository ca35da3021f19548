"""Tversky family. Only the score changes; the bookkeeping lives in RegionLoss."""
from regionloss.base import RegionLoss


class TverskyLoss(RegionLoss):
    """Tversky loss (Salehi et al. 2017); alpha weighs false positives, beta false negatives."""

    def __init__(self, alpha=0.3, beta=0.7, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.beta = beta

    def region_score(self, tp, fp, fn):
        index = (tp + self.smooth) / (tp + self.alpha * fp + self.beta * fn + self.smooth)
        return 1.0 - index


class FocalTverskyLoss(TverskyLoss):
    """(1 - TI) ** (1 / gamma), Abraham & Khan 2019."""

    def __init__(self, gamma=4.0 / 3.0, **kwargs):
        super().__init__(**kwargs)
        self.gamma = gamma

    def region_score(self, tp, fp, fn):
        return super().region_score(tp, fp, fn) ** (1.0 / self.gamma)
