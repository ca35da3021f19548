"""Binary focal loss for multi-label masks, validated with kornia's checks."""
from __future__ import annotations

from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

from kornia.core.check import KORNIA_CHECK, KORNIA_CHECK_IS_TENSOR, KORNIA_CHECK_SHAPE


def multilabel_focal_loss(
    pred: torch.Tensor,
    target: torch.Tensor,
    alpha: Optional[float] = 0.25,
    gamma: float = 2.0,
    reduction: str = "mean",
) -> torch.Tensor:
    """Focal loss (Lin et al. 2017) on logits of independent channels.

    Args:
        pred: logits, shape (B, C, *).
        target: {0, 1} masks of the same shape.
        alpha: weight of the positive term (1 - alpha for the negative one); None for no weighting.
    """
    KORNIA_CHECK_IS_TENSOR(pred)
    KORNIA_CHECK_SHAPE(pred, ["B", "C", "*"])
    KORNIA_CHECK(pred.shape == target.shape, f"pred {tuple(pred.shape)} and target {tuple(target.shape)} differ")

    p = torch.sigmoid(pred)
    positive = -target * (1 - p).pow(gamma) * F.logsigmoid(pred)
    negative = -(1 - target) * p.pow(gamma) * F.logsigmoid(-pred)
    loss = positive + negative if alpha is None else alpha * positive + (1 - alpha) * negative

    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"unknown reduction {reduction!r}")


class MultiLabelFocalLoss(nn.Module):
    """Module form of :func:`multilabel_focal_loss`.

    Usage:
        >>> criterion = MultiLabelFocalLoss(alpha=0.25, gamma=2.0, reduction="mean")
        >>> loss = criterion(torch.randn(2, 3, 32, 32), torch.randint(0, 2, (2, 3, 32, 32)).float())
    """

    def __init__(self, alpha: Optional[float], gamma: float = 2.0, reduction: str = "none") -> None:
        super().__init__()
        self.alpha = alpha
        self.gamma = gamma
        self.reduction = reduction

    def forward(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return multilabel_focal_loss(pred, target, self.alpha, self.gamma, self.reduction)
