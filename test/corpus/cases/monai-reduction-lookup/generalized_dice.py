"""Generalized Dice loss written against MONAI's option helpers.

input: logits (B, N, H, W); target: one-hot (B, N, H, W).
"""
from __future__ import annotations

import torch
from torch.nn.modules.loss import _Loss

from monai.utils import LossReduction, look_up_option

WEIGHTINGS = ("square", "simple", "uniform")


class GeneralizedDiceLoss(_Loss):
    """Generalized Dice (Sudre et al. 2017).

    A class absent from an image would get an infinite weight; it gets the
    largest finite weight of that image instead.
    """

    def __init__(
        self,
        with_background: bool = True,
        softmax: bool = True,
        w_type: str = "square",
        reduction: str | LossReduction = LossReduction.MEAN,
        smooth: float = 1e-5,
    ) -> None:
        reduction = LossReduction(reduction)
        super().__init__(reduction=reduction.value)
        self.with_background = with_background
        self.softmax = softmax
        self.w_type = look_up_option(w_type, WEIGHTINGS)
        self.smooth = float(smooth)

    def _class_weights(self, volumes: torch.Tensor) -> torch.Tensor:
        if self.w_type == "uniform":
            return torch.ones_like(volumes)
        power = 2 if self.w_type == "square" else 1
        return 1.0 / volumes ** power

    def forward(self, input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        probs = torch.softmax(input, 1) if self.softmax else input
        if not self.with_background:
            probs, target = probs[:, 1:], target[:, 1:]
        if probs.shape != target.shape:
            raise ValueError(f"prediction {tuple(probs.shape)} and target {tuple(target.shape)} differ")

        axes = tuple(range(2, probs.dim()))
        volumes = target.sum(axes)
        w = self._class_weights(volumes.float())
        finite = torch.where(torch.isinf(w), torch.zeros_like(w), w)
        w = torch.where(torch.isinf(w), finite.max(dim=1, keepdim=True).values.expand_as(w), w)

        numer = 2.0 * (w * (probs * target).sum(axes)).sum(1) + self.smooth
        denom = (w * (probs.sum(axes) + volumes)).sum(1) + self.smooth
        loss = 1.0 - numer / denom

        reduction = LossReduction(self.reduction)
        if reduction is LossReduction.MEAN:
            return loss.mean()
        if reduction is LossReduction.SUM:
            return loss.sum()
        if reduction is LossReduction.NONE:
            return loss
        raise ValueError(f"reduction {self.reduction!r} is not supported")
