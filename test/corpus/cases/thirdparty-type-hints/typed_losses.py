"""Typed losses for the satellite building-footprint model.

Shapes are documented with jaxtyping annotations; they are not checked at run
time here.
"""
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from jaxtyping import Float, Int
from torch import Tensor

if TYPE_CHECKING:  # only for the IDE
    from torchtyping import TensorType  # noqa: F401


def log_cosh_dice_loss(
    logits: Float[Tensor, "batch classes height width"],
    labels: Int[Tensor, "batch height width"],
    smooth: float = 1.0,
) -> Float[Tensor, ""]:
    """log(cosh(1 - Dice)), Jadon 2020."""
    probs = F.softmax(logits, dim=1)
    onehot: Float[Tensor, "batch classes height width"] = F.one_hot(labels, probs.shape[1]).permute(0, 3, 1, 2).float()
    inter = (probs * onehot).sum(dim=(2, 3))
    total = probs.sum(dim=(2, 3)) + onehot.sum(dim=(2, 3))
    dice_loss = 1.0 - (2.0 * inter + smooth) / (total + smooth)
    return torch.log(torch.cosh(dice_loss)).mean()
