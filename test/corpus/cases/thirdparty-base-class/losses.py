"""Decode-head loss for the road-scene model.

BaseModule (mmengine) is an nn.Module that also understands ``init_cfg``.
"""
import torch
import torch.nn.functional as F
from mmengine.model import BaseModule


class CEDiceLoss(BaseModule):
    """Cross-entropy plus soft Dice on the decode head's logits."""

    def __init__(self, num_classes=4, dice_weight=1.0, smooth=1.0, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.num_classes = num_classes
        self.dice_weight = dice_weight
        self.smooth = smooth

    def forward(self, seg_logits, seg_labels):
        ce = F.cross_entropy(seg_logits, seg_labels)
        prob = seg_logits.softmax(dim=1)
        onehot = F.one_hot(seg_labels, self.num_classes).permute(0, 3, 1, 2).float()
        inter = (prob * onehot).sum(dim=(2, 3))
        denom = prob.sum(dim=(2, 3)) + onehot.sum(dim=(2, 3))
        dice = 1.0 - (2.0 * inter + self.smooth) / (denom + self.smooth)
        return ce + self.dice_weight * dice.mean()
