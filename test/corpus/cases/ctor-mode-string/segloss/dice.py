from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from torch.nn.modules.loss import _Loss

from ._functional import soft_dice_score
from .constants import ALL_MODES, BINARY_MODE, MULTICLASS_MODE

__all__ = ["DiceLoss"]


class DiceLoss(_Loss):
    def __init__(
        self,
        mode: str,
        classes: Optional[Sequence[int]] = None,
        log_loss: bool = False,
        from_logits: bool = True,
        smooth: float = 0.0,
        eps: float = 1e-7,
    ):
        """Soft Dice for the three label layouts of constants.py.

        Args:
            mode: "binary", "multiclass" or "multilabel"
            classes: indices of the classes that count (all when None)
            log_loss: use -log(dice) instead of 1 - dice
            from_logits: the network outputs raw scores (softmax / sigmoid applied here)
        """
        if mode not in ALL_MODES:
            raise ValueError(f"mode must be one of {ALL_MODES}, got {mode!r}")
        if classes is not None and mode == BINARY_MODE:
            raise ValueError("`classes` needs several output channels")
        super().__init__()
        self.mode = mode
        self.classes = None if classes is None else torch.as_tensor(classes, dtype=torch.long)
        self.log_loss = log_loss
        self.from_logits = from_logits
        self.smooth = smooth
        self.eps = eps

    def forward(self, y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
        bs, channels = y_pred.shape[0], y_pred.shape[1]
        if self.from_logits:
            y_pred = y_pred.softmax(dim=1) if self.mode == MULTICLASS_MODE else y_pred.sigmoid()

        y_pred = y_pred.reshape(bs, channels, -1)
        if self.mode == MULTICLASS_MODE:
            # (N, H*W) indices -> (N, C, H*W) one-hot
            y_true = F.one_hot(y_true.reshape(bs, -1), channels).transpose(1, 2)
        else:
            y_true = y_true.reshape(bs, channels, -1)
        y_true = y_true.to(y_pred.dtype)

        scores = soft_dice_score(y_pred, y_true, self.smooth, self.eps, dims=(0, 2))
        loss = -torch.log(scores.clamp_min(self.eps)) if self.log_loss else 1.0 - scores

        # a class missing from the whole batch is left out of the mean
        present = (y_true.sum(dim=(0, 2)) > 0).to(loss.dtype)
        loss = loss * present
        if self.classes is not None:
            loss = loss[self.classes]
        return loss.mean()
