# Custom Dice loss registered in the mmsegmentation model registry, so a
# config can say  loss_decode=dict(type='MaskedDiceLoss', loss_weight=1.0).
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS


@MODELS.register_module()
class MaskedDiceLoss(nn.Module):
    """Dice loss that skips pixels labelled ``ignore_index``.

    Args:
        smooth (float): added to numerator and denominator.
        loss_weight (float): multiplier of the loss.
        ignore_index (int): label value excluded from the loss.
        loss_name (str): key of this loss in the log dict.
    """

    def __init__(self, smooth=1.0, loss_weight=1.0, ignore_index=255, loss_name="loss_dice"):
        super().__init__()
        self.smooth = smooth
        self.loss_weight = loss_weight
        self.ignore_index = ignore_index
        self._loss_name = loss_name

    def forward(self, pred, target, **kwargs):
        num_classes = pred.shape[1]
        prob = F.softmax(pred, dim=1)
        valid = (target != self.ignore_index).unsqueeze(1).to(prob.dtype)
        labels = torch.clamp(target.long(), 0, num_classes - 1)
        onehot = F.one_hot(labels, num_classes).permute(0, 3, 1, 2).to(prob.dtype)

        prob = prob * valid
        onehot = onehot * valid
        inter = torch.sum(prob * onehot, dim=(2, 3))
        union = torch.sum(prob, dim=(2, 3)) + torch.sum(onehot, dim=(2, 3))
        dice = (2 * inter + self.smooth) / (union + self.smooth)
        return self.loss_weight * (1 - dice).mean()

    @property
    def loss_name(self):
        return self._loss_name
