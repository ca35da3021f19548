#!/usr/bin/env python3
# Region losses on softmax probabilities and one-hot targets (B, K, W, H).
# Each loss only looks at the classes listed in ``idc``.
import torch
from torch import Tensor, einsum

from utils import is_one_hot, sums_to_one


class CrossEntropy():
    def __init__(self, **kwargs):
        self.idc = list(kwargs["idc"])  # the classes this loss looks at
        print(f"> {type(self).__name__} on classes {self.idc}")

    def __call__(self, probs: Tensor, target: Tensor) -> Tensor:
        assert sums_to_one(probs) and sums_to_one(target)
        p = probs[:, self.idc].clamp_min(1e-10)
        t = target[:, self.idc].float()
        return -(t * p.log()).sum() / t.sum().clamp_min(1.0)


class GeneralizedDice():
    def __init__(self, **kwargs):
        self.idc = list(kwargs["idc"])  # the classes this loss looks at
        print(f"> {type(self).__name__} on classes {self.idc}")

    def __call__(self, probs: Tensor, target: Tensor) -> Tensor:
        assert sums_to_one(probs) and is_one_hot(target)
        p = probs[:, self.idc, ...].float()
        t = target[:, self.idc, ...].float()

        t_vol = einsum("bkxy->bk", t)
        weights = (t_vol + 1e-10).pow(-2)
        overlap = einsum("bk,bkxy,bkxy->b", weights, p, t)
        total = einsum("bk,bkxy->b", weights, p + t)

        gdl = 1 - (2 * overlap + 1e-10) / (total + 1e-10)
        return gdl.mean()


class DiceLoss():
    def __init__(self, **kwargs):
        self.idc = list(kwargs["idc"])  # the classes this loss looks at
        print(f"> {type(self).__name__} on classes {self.idc}")

    def __call__(self, probs: Tensor, target: Tensor) -> Tensor:
        assert sums_to_one(probs) and is_one_hot(target)
        p = probs[:, self.idc, ...].float()
        t = target[:, self.idc, ...].float()
        inter = einsum("bkxy,bkxy->bk", p, t)
        sizes = einsum("bkxy->bk", p) + einsum("bkxy->bk", t)
        dice = (2 * inter + 1e-10) / (sizes + 1e-10)
        return (1 - dice).mean()
