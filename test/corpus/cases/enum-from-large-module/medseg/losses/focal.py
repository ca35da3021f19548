"""Multi-class focal loss with selectable reduction."""
from typing import Optional, Sequence, Union

import torch
import torch.nn.functional as F
from torch.nn.modules.loss import _Loss

from medseg.utils.enums import LossReduction


class FocalLoss(_Loss):
    """Focal loss on logits (B, C, H, W) against integer labels (B, H, W).

    Args:
        gamma: focusing parameter; 0 gives cross-entropy.
        weight: optional per-class weights.
        reduction: one of ``LossReduction`` ("mean", "sum", "none").
    """

    def __init__(
        self,
        gamma: float = 2.0,
        weight: Optional[Sequence[float]] = None,
        reduction: Union[LossReduction, str] = LossReduction.MEAN,
    ) -> None:
        super().__init__(reduction=str(LossReduction(reduction)))
        self.gamma = gamma
        self.weight = None if weight is None else torch.as_tensor(weight, dtype=torch.float32)

    def forward(self, input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        logp = F.log_softmax(input, dim=1)
        logp_t = logp.gather(1, target.long().unsqueeze(1)).squeeze(1)
        p_t = logp_t.exp()
        loss = -((1.0 - p_t) ** self.gamma) * logp_t
        if self.weight is not None:
            loss = loss * self.weight.to(input.device)[target.long()]

        if self.reduction == LossReduction.NONE:
            return loss
        if self.reduction == LossReduction.SUM:
            return loss.sum()
        if self.reduction == LossReduction.MEAN:
            return loss.mean()
        raise ValueError(f"Unsupported reduction: {self.reduction}")
