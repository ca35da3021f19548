"""A healthy PyTorch criterion: soft Dice on softmax probabilities plus cross-entropy."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SoftDiceCrossEntropy(nn.Module):
    def __init__(self, smooth=1e-5, dice_weight=1.0):
        super().__init__()
        self.smooth = smooth
        self.dice_weight = dice_weight

    def forward(self, logits, labels):
        probabilities = F.softmax(logits, dim=1)
        one_hot = F.one_hot(labels, logits.shape[1]).permute(0, 3, 1, 2).float()
        dims = (0, 2, 3)
        overlap = torch.sum(probabilities * one_hot, dims)
        cardinality = torch.sum(probabilities + one_hot, dims)
        dice = (2.0 * overlap + self.smooth) / (cardinality + self.smooth)
        return F.cross_entropy(logits, labels) + self.dice_weight * (1.0 - dice.mean())
