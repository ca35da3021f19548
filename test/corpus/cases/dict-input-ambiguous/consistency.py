"""A criterion that compares two entries of its input dict; their roles are not spelled out."""
import torch
import torch.nn as nn


class PairwiseSquaredLoss(nn.Module):
    def __init__(self, reduction='mean'):
        super().__init__()
        self.reduction = reduction

    def forward(self, outputs):
        a = outputs['a']
        b = outputs['b']
        diff = (a - b) ** 2
        return diff.mean() if self.reduction == 'mean' else diff.sum()
