"""Dice + cross-entropy, as used for the prostate experiments.

Run from this folder (python train_prostate.py), so the sibling modules
import by their plain names.
"""
import numpy as np
import torch
from torch import nn

from nd_crossentropy import VoxelCrossEntropy


def softmax_helper(x):
    return torch.softmax(x, 1)


def soft_counts(probs, labels, axes):
    """probs: (b, c, x, y); labels: (b, 1, x, y) float class indices."""
    with torch.no_grad():
        onehot = torch.zeros(probs.shape, device=probs.device)
        onehot.scatter_(1, labels.long(), 1)
    tp = (probs * onehot).sum(dim=axes)
    fp = (probs * (1 - onehot)).sum(dim=axes)
    fn = ((1 - probs) * onehot).sum(dim=axes)
    return tp, fp, fn


class SoftDiceLoss(nn.Module):
    def __init__(self, nonlin=softmax_helper, smooth=1.0, do_bg=False):
        super(SoftDiceLoss, self).__init__()
        self.nonlin = nonlin
        self.smooth = smooth
        self.do_bg = do_bg

    def forward(self, x, y):
        axes = tuple(np.arange(2, x.dim()))
        if self.nonlin is not None:
            x = self.nonlin(x)
        tp, fp, fn = soft_counts(x, y, axes)
        dice = (tp + tp + self.smooth) / (tp + tp + fp + fn + self.smooth)
        return 1 - (dice if self.do_bg else dice[:, 1:]).mean()


class DiceCELoss(nn.Module):
    def __init__(self, weight_ce=1.0, weight_dice=1.0):
        super(DiceCELoss, self).__init__()
        self.ce = VoxelCrossEntropy()
        self.dc = SoftDiceLoss()
        self.weight_ce = weight_ce
        self.weight_dice = weight_dice

    def forward(self, net_output, target):
        return self.weight_ce * self.ce(net_output, target) + self.weight_dice * self.dc(net_output, target)
