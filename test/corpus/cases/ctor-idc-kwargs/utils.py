#!/usr/bin/env python3
"""Tensor sanity checks and label conversions shared by the losses and the data loader."""
from typing import Iterable, Set

import numpy as np
import torch
from scipy.ndimage import distance_transform_edt
from torch import Tensor


def values_in(t: Tensor) -> Set:
    return set(torch.unique(t.detach().cpu()).tolist())


def only_values(t: Tensor, allowed: Iterable) -> bool:
    return values_in(t) <= set(allowed)


def sums_to_one(t: Tensor, axis: int = 1) -> bool:
    """True when every pixel's values along ``axis`` form a distribution."""
    totals = t.sum(axis).float()
    return torch.allclose(totals, torch.ones_like(totals))


def is_one_hot(t: Tensor, axis: int = 1) -> bool:
    return sums_to_one(t, axis) and only_values(t, (0, 1))


def labels_to_one_hot(seg: Tensor, n_classes: int) -> Tensor:
    """(B, W, H) class indices -> (B, K, W, H) int32 one-hot."""
    onehot = torch.zeros((seg.shape[0], n_classes, *seg.shape[1:]), dtype=torch.int32, device=seg.device)
    return onehot.scatter_(1, seg.unsqueeze(1).long(), 1)


def signed_distance_maps(onehot: np.ndarray) -> np.ndarray:
    """(K, W, H) one-hot -> signed distance to each class boundary, negative inside."""
    maps = np.zeros(onehot.shape, dtype=np.float32)
    for k, mask in enumerate(onehot.astype(bool)):
        if mask.any():
            maps[k] = distance_transform_edt(~mask) - distance_transform_edt(mask)
    return maps
