"""Dice loss with optional class weights.

overlap and weighting import each other; every cross-module name is looked
up when a function runs, so the cycle is harmless.
"""
import torch
import torch.nn as nn

from metrics import weighting

VALID_REDUCTIONS = ("mean", "sum", "none")
SMOOTH = 1e-5


def per_class_dice(probs, onehot):
    dims = (2, 3)
    inter = torch.sum(probs * onehot, dims)
    denom = torch.sum(probs, dims) + torch.sum(onehot, dims)
    return (2.0 * inter + SMOOTH) / (denom + SMOOTH)


class WeightedDiceLoss(nn.Module):
    def __init__(self, class_weights=(0.2, 1.0, 1.0), reduction="mean"):
        super().__init__()
        self.class_weights = class_weights
        self.reduction = reduction

    def forward(self, probs, onehot):
        loss = 1.0 - per_class_dice(probs, onehot)
        return weighting.reduce_loss(loss, self.class_weights, self.reduction)
