"""Loss for touching-cell segmentation with U-Net border weights."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class WeightedBCEDiceLoss(nn.Module):
    """Pixel-weighted BCE (Ronneberger et al. 2015 weight maps) plus soft Dice.

    forward(logits, masks, weight_map): all (N, 1, H, W); weight_map > 0 is
    precomputed by the data loader and is largest between touching cells.
    """

    def __init__(self, dice_weight=1.0, smooth=1.0):
        super().__init__()
        self.dice_weight = dice_weight
        self.smooth = smooth

    def forward(self, logits, masks, weight_map):
        bce = F.binary_cross_entropy_with_logits(logits, masks, weight=weight_map, reduction="sum")
        bce = bce / weight_map.sum()

        probs = torch.sigmoid(logits)
        inter = (probs * masks).sum(dim=(1, 2, 3))
        total = probs.sum(dim=(1, 2, 3)) + masks.sum(dim=(1, 2, 3))
        dice = (2 * inter + self.smooth) / (total + self.smooth)
        return bce + self.dice_weight * (1 - dice).mean()
