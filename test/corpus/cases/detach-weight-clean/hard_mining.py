"""Losses that re-weight pixels by how hard they are.

The weights and thresholds are computed from a detached copy of the
prediction: they steer the loss but are not optimised themselves.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class HardPixelCELoss(nn.Module):
    """Online hard example mining: keep pixels whose true-class probability is
    below ``thresh`` (at least ``min_kept`` of them)."""

    def __init__(self, thresh=0.7, min_kept=64):
        super().__init__()
        self.thresh = thresh
        self.min_kept = min_kept

    def forward(self, logits, labels):
        pixel_losses = F.cross_entropy(logits, labels, reduction="none").view(-1)
        with torch.no_grad():
            probs = logits.detach().softmax(dim=1)
            true_prob = probs.gather(1, labels.unsqueeze(1)).view(-1)
            sorted_prob, _ = torch.sort(true_prob)
            kth = sorted_prob[min(self.min_kept, sorted_prob.numel() - 1)]
            threshold = torch.clamp(kth, min=self.thresh)
            keep = true_prob <= threshold
        return pixel_losses[keep].mean()


class EntropyWeightedDiceLoss(nn.Module):
    """Soft Dice where uncertain pixels (high predictive entropy) count more."""

    def __init__(self, smooth=1.0):
        super().__init__()
        self.smooth = smooth

    def forward(self, logits, labels):
        probs = torch.softmax(logits, dim=1)
        onehot = F.one_hot(labels, probs.shape[1]).permute(0, 3, 1, 2).float()
        entropy = -(probs * torch.log(probs.clamp(min=1e-8))).sum(dim=1, keepdim=True)
        weight = 1.0 + entropy.detach()
        inter = (weight * probs * onehot).sum(dim=(2, 3))
        total = (weight * (probs + onehot)).sum(dim=(2, 3))
        dice = (2 * inter + self.smooth) / (total + self.smooth)
        return 1 - dice.mean()
