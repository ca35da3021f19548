"""Overlap-based criteria for multi-class segmentation.

logits: (N, C, H, W) raw scores, labels: (N, H, W) integer class map.
"""
import torch
import torch.nn as nn

from ..common.encoding import one_hot_nchw


class MulticlassDiceLoss(nn.Module):
    def __init__(self, smooth=1e-5, ignore_background=True):
        super().__init__()
        self.smooth = smooth
        self.ignore_background = ignore_background

    def forward(self, logits, labels):
        num_classes = logits.shape[1]
        # predicted label map, as used for the validation Dice
        pred = torch.argmax(logits, dim=1)
        pred_1h = one_hot_nchw(pred, num_classes)
        true_1h = one_hot_nchw(labels, num_classes)
        if self.ignore_background:
            pred_1h, true_1h = pred_1h[:, 1:], true_1h[:, 1:]
        inter = (pred_1h * true_1h).sum(dim=(2, 3))
        union = pred_1h.sum(dim=(2, 3)) + true_1h.sum(dim=(2, 3))
        dice = (2 * inter + self.smooth) / (union + self.smooth)
        return 1 - dice.mean()


def soft_jaccard_loss(logits, labels, smooth=1.0):
    probs = logits.softmax(dim=1)
    true_1h = one_hot_nchw(labels, probs.shape[1])
    inter = (probs * true_1h).sum(dim=(0, 2, 3))
    union = (probs + true_1h).sum(dim=(0, 2, 3)) - inter
    return 1 - ((inter + smooth) / (union + smooth)).mean()
