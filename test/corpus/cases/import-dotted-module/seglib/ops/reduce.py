"""Reductions over the spatial axes of NCHW / NCDHW tensors."""
import torch


def spatial_sum(x, keepdim=False):
    """Sum over every axis after the channel axis."""
    dims = tuple(range(2, x.dim()))
    return torch.sum(x, dim=dims, keepdim=keepdim)


def safe_ratio(numerator, denominator, eps=1e-6):
    return numerator / (denominator + eps)
