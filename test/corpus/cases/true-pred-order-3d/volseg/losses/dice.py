"""Soft Dice losses for 3-D volumes."""
import torch
import torch.nn.functional as F

from volseg.losses.base import VolumeLoss
from volseg.losses.registry import register_loss


@register_loss("dice")
class DiceLoss(VolumeLoss):
    """1 - 2|XY| / (|X|^2 + |Y|^2), per image and class, averaged."""

    def forward(self, y_true, y_pred, **kwargs):
        y_true, y_pred = self.prepare(y_true, y_pred)
        intersection = torch.sum(y_true * y_pred, dim=self.spatial_axes)
        denominator = (
            torch.sum(y_true ** 2, dim=self.spatial_axes)
            + torch.sum(y_pred ** 2, dim=self.spatial_axes)
            + self.eps
        )
        loss = 1.0 - (2.0 * intersection + self.eps) / denominator
        return loss.mean()


@register_loss("dice_ce")
class DiceCELoss(DiceLoss):
    """Dice plus cross-entropy on the raw logits."""

    def forward(self, y_true, y_pred, **kwargs):
        dice = super().forward(y_true, y_pred)
        ce = F.cross_entropy(y_pred, y_true[:, 0].long())
        return 0.5 * (dice + ce)
