"""Focal + Dice, the loss of the final submission."""
import torch.nn as nn

from seglosses import BinaryFocalLoss, SoftDiceLoss


class ComboLoss(nn.Module):
    def __init__(self, focal_weight=10.0, dice_weight=1.0):
        super().__init__()
        self.focal = BinaryFocalLoss(alpha=0.25, gamma=2.0)
        self.dice = SoftDiceLoss(smooth=1.0)
        self.focal_weight = focal_weight
        self.dice_weight = dice_weight

    def forward(self, logits, masks):
        return self.focal_weight * self.focal(logits, masks) + self.dice_weight * self.dice(logits, masks)
