"""Dice + boundary loss with a rising boundary weight (Kervadec et al. 2019).

The data loader returns, next to each label map, the signed distance map of
every class (negative inside the object), shape (N, C, H, W).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DiceBoundaryLoss(nn.Module):
    def __init__(self, alpha=0.01, alpha_step=0.01, max_alpha=0.5, smooth=1.0):
        super().__init__()
        self.alpha = alpha
        self.alpha_step = alpha_step
        self.max_alpha = max_alpha
        self.smooth = smooth

    def step(self):
        """Call once per epoch: shift weight from the region term to the boundary term."""
        self.alpha = min(self.alpha + self.alpha_step, self.max_alpha)

    def forward(self, logits, target, dist_map):
        probs = torch.softmax(logits, dim=1)
        onehot = F.one_hot(target, probs.shape[1]).permute(0, 3, 1, 2).to(probs.dtype)

        inter = (probs * onehot).sum(dim=(2, 3))
        total = (probs + onehot).sum(dim=(2, 3))
        dice = 1 - ((2 * inter + self.smooth) / (total + self.smooth))[:, 1:].mean()

        boundary = (probs[:, 1:] * dist_map[:, 1:]).mean()
        return (1 - self.alpha) * dice + self.alpha * boundary
