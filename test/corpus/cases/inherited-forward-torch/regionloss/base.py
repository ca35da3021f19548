"""Base class for region losses computed from per-class TP / FP / FN."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RegionLoss(nn.Module):
    """Turns logits and label maps into soft TP/FP/FN per image and class.

    Subclasses implement ``region_score`` and return a loss per image and class;
    the base class averages it, optionally without the background channel.
    """

    def __init__(self, include_background=False, smooth=1e-5):
        super().__init__()
        self.include_background = include_background
        self.smooth = smooth

    def region_score(self, tp, fp, fn):
        raise NotImplementedError

    def forward(self, logits, target):
        num_classes = logits.shape[1]
        probs = F.softmax(logits, dim=1)
        onehot = F.one_hot(target.long(), num_classes).permute(0, 3, 1, 2).to(probs.dtype)
        dims = (2, 3)
        tp = torch.sum(probs * onehot, dims)
        fp = torch.sum(probs * (1 - onehot), dims)
        fn = torch.sum((1 - probs) * onehot, dims)
        loss = self.region_score(tp, fp, fn)
        if not self.include_background:
            loss = loss[:, 1:]
        return loss.mean()
