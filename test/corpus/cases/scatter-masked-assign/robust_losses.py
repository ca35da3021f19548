"""Robust regression-style losses on class probabilities."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class HuberProbabilityLoss(nn.Module):
    """Huber loss between softmax probabilities and one-hot labels.

    Quadratic below ``delta``, linear above, so a few badly wrong pixels
    (label noise at organ borders) do not dominate.
    """

    def __init__(self, delta=0.2):
        super().__init__()
        self.delta = delta

    def forward(self, logits, target):
        probs = logits.softmax(dim=1)
        onehot = F.one_hot(target, probs.size(1)).permute(0, 3, 1, 2).to(probs.dtype)
        diff = (probs - onehot).abs()

        loss = diff.clone()
        small = diff < self.delta
        loss[small] = 0.5 * diff[small] ** 2 / self.delta
        loss[~small] = diff[~small] - 0.5 * self.delta
        return loss.mean()
