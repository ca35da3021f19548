"""Shared pieces of the binary losses in this package."""
import torch

EPS = 1e-6


def flatten_per_image(x):
    """(N, 1, H, W) -> (N, H*W)."""
    return x.reshape(x.shape[0], -1)


def soft_overlap(probs, masks):
    """Soft intersection and the sum of both areas, one value per image."""
    p = flatten_per_image(probs)
    m = flatten_per_image(masks)
    return (p * m).sum(dim=1), p.sum(dim=1) + m.sum(dim=1)


def clamp_probs(p):
    return torch.clamp(p, EPS, 1.0 - EPS)
