"""Binary lesion losses.

Both functions take raw network outputs of shape (N, 1, H, W) and binary
masks of the same shape.
"""
import torch

from . import helpers


def dice_loss(logits, masks, smooth=1.0):
    probs = torch.sigmoid(logits)
    inter, total = helpers.soft_overlap(probs, masks)
    dice = (2.0 * inter + smooth) / (total + smooth)
    return 1.0 - dice.mean()


def bce_dice_loss(logits, masks, bce_weight=0.5):
    """Weighted sum of binary cross-entropy and soft Dice."""
    probs = helpers.clamp_probs(torch.sigmoid(logits))
    bce = -(masks * torch.log(probs) + (1 - masks) * torch.log(1 - probs)).mean()
    return bce_weight * bce + (1.0 - bce_weight) * dice_loss(logits, masks)
