import torch
from torch import nn


class ChannelCrossEntropyLoss(nn.CrossEntropyLoss):
    """Cross-entropy that also takes label maps with a singleton channel axis, in any float dtype."""

    def forward(self, input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if target.dim() == input.dim():
            if target.shape[1] != 1:
                raise ValueError("expected a label map with one channel")
            target = target.squeeze(1)
        return super().forward(input, target.long())
