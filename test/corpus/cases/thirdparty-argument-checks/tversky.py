"""Binary Tversky loss for the polyp model.

Shape checks use torchmetrics' helper so they raise the same error as the
validation metrics do.
"""
import torch
from torch import nn
from torchmetrics.utilities.checks import _check_same_shape


class BinaryTverskyLoss(nn.Module):
    def __init__(self, alpha=0.5, beta=0.5, smooth=1.0):
        super().__init__()
        if not 0.0 <= alpha <= 1.0 or not 0.0 <= beta <= 1.0:
            raise ValueError("alpha and beta must lie in [0, 1]")
        self.alpha = alpha
        self.beta = beta
        self.smooth = smooth

    def forward(self, preds, target):
        _check_same_shape(preds, target)
        probs = torch.sigmoid(preds).view(preds.size(0), -1)
        target = target.view(target.size(0), -1).float()
        tp = (probs * target).sum(1)
        fp = (probs * (1 - target)).sum(1)
        fn = ((1 - probs) * target).sum(1)
        tversky = (tp + self.smooth) / (tp + self.alpha * fp + self.beta * fn + self.smooth)
        return (1 - tversky).mean()
