"""Calibration-friendly segmentation losses.

logits: (N, C, H, W); labels: (N, H, W) int64.
"""
import torch
import torch.nn.functional as F


def label_smoothing_kl_loss(logits, labels, smoothing=0.1):
    """KL divergence to a smoothed one-hot target (Szegedy et al. 2016)."""
    n_classes = logits.size(1)
    log_probs = F.log_softmax(logits, dim=1)
    with torch.no_grad():
        target = torch.full_like(log_probs, smoothing / (n_classes - 1))
        target.scatter_(1, labels.unsqueeze(1), 1.0 - smoothing)
    return F.kl_div(log_probs, target, reduction="batchmean")


def brier_pixel_loss(logits, labels):
    """Euclidean distance between the probability vector and the one-hot label, per pixel."""
    probs = torch.softmax(logits, dim=1)
    onehot = F.one_hot(labels, probs.shape[1]).permute(0, 3, 1, 2).to(probs.dtype)
    dist = torch.linalg.vector_norm(probs - onehot, ord=2, dim=1)
    return dist.mean()
