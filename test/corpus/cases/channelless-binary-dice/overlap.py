"""Overlap scores for single-foreground segmentation.

The trainer squeezes the network's single output channel away before calling these, so both
tensors are (batch, height, width) maps.
"""
import torch
from torch import Tensor


def soft_overlap(probs: Tensor, mask: Tensor, whole_batch: bool = False, eps: float = 1e-6) -> Tensor:
    # A whole batch of maps is one 3-D stack; a single map is 2-D.
    assert probs.size() == mask.size()
    assert probs.dim() == 3 or not whole_batch
    dims = (-1, -2) if probs.dim() == 2 or not whole_batch else (-1, -2, -3)
    shared = 2 * (probs * mask).sum(dim=dims)
    total = probs.sum(dim=dims) + mask.sum(dim=dims)
    total = torch.where(total == 0, shared, total)
    return ((shared + eps) / (total + eps)).mean()


def overlap_loss(probs: Tensor, mask: Tensor) -> Tensor:
    return 1 - soft_overlap(probs, mask, whole_batch=True)
