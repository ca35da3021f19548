"""Cross-entropy with median-frequency class balancing computed per batch."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MedianFrequencyCELoss(nn.Module):
    """Eigen & Fergus (2015) class balancing, re-estimated on every batch.

    Classes that do not occur in the batch get weight 0 instead of 1/0.
    """

    def __init__(self, num_classes=3):
        super().__init__()
        self.num_classes = num_classes

    @torch.no_grad()
    def _batch_weights(self, target):
        counts = torch.bincount(target.flatten(), minlength=self.num_classes).float()
        freq = counts / counts.sum()
        present = freq > 0
        median = freq[present].median()
        weights = torch.zeros_like(freq)
        weights[present] = median / freq[present]
        return weights

    def forward(self, logits, target):
        weights = self._batch_weights(target)
        return F.cross_entropy(logits, target, weight=weights)
