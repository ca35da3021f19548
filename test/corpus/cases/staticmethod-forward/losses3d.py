"""Losses for the 3-D lesion model, written as stateless modules."""
import torch
import torch.nn as nn


class SoftDiceLoss3D(nn.Module):
    """Soft Dice on sigmoid outputs; no state, so everything is a static method."""

    @staticmethod
    def _soft_dice(probs, target, smooth=1.0):
        dims = tuple(range(1, probs.dim()))
        inter = (probs * target).sum(dims)
        denom = probs.sum(dims) + target.sum(dims)
        return (2 * inter + smooth) / (denom + smooth)

    @staticmethod
    def forward(output, target):
        probs = torch.sigmoid(output)
        return 1 - SoftDiceLoss3D._soft_dice(probs, target).mean()


class BCEDiceLoss3D(nn.Module):
    def __init__(self, bce_weight=0.5):
        super().__init__()
        self.bce_weight = bce_weight
        self.bce = nn.BCEWithLogitsLoss()

    def forward(self, output, target):
        dice = 1 - SoftDiceLoss3D._soft_dice(torch.sigmoid(output), target).mean()
        return self.bce_weight * self.bce(output, target) + (1 - self.bce_weight) * dice
