import torch
import torch.nn as nn


class SoftDiceLoss(nn.Module):
    """Binary soft Dice on sigmoid probabilities, one Dice per image."""

    def __init__(self, smooth=1.0, from_logits=True):
        super().__init__()
        self.smooth = smooth
        self.from_logits = from_logits

    def forward(self, inputs, targets):
        probs = torch.sigmoid(inputs) if self.from_logits else inputs
        probs = probs.flatten(1)
        targets = targets.flatten(1)
        inter = (probs * targets).sum(-1)
        dice = (2.0 * inter + self.smooth) / (probs.sum(-1) + targets.sum(-1) + self.smooth)
        return 1.0 - dice.mean()
