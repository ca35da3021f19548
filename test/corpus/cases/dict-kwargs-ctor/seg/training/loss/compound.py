import torch
from torch import nn

from seg.training.loss.channel_ce import ChannelCrossEntropyLoss
from seg.training.loss.dice import SoftDiceLoss
from seg.utilities.helpers import softmax_over_channels


class DiceCELoss(nn.Module):
    def __init__(self, soft_dice_kwargs, ce_kwargs, ignore_label=None, weight_ce=1.0, weight_dice=1.0):
        """Soft Dice on softmax probabilities plus cross-entropy on the logits.

        soft_dice_kwargs / ce_kwargs are passed on to SoftDiceLoss and the cross-entropy.
        Labels: (b, 1, x, y(, z)) class indices.
        """
        super(DiceCELoss, self).__init__()
        if ignore_label is not None:
            ce_kwargs = dict(ce_kwargs, ignore_index=ignore_label)
        self.weight_ce = weight_ce
        self.weight_dice = weight_dice
        self.ce = ChannelCrossEntropyLoss(**ce_kwargs)
        self.dc = SoftDiceLoss(nonlin=softmax_over_channels, **soft_dice_kwargs)

    def forward(self, net_output: torch.Tensor, target: torch.Tensor):
        dc_loss = self.dc(net_output, target) if self.weight_dice else 0
        ce_loss = self.ce(net_output, target) if self.weight_ce else 0
        return self.weight_ce * ce_loss + self.weight_dice * dc_loss


class DiceBCELoss(nn.Module):
    def __init__(self, bce_kwargs, soft_dice_kwargs, weight_ce=1, weight_dice=1):
        """Region training: one sigmoid channel per (overlapping) region, one-hot region targets.
        The network must output logits."""
        super(DiceBCELoss, self).__init__()
        self.weight_ce = weight_ce
        self.weight_dice = weight_dice
        self.ce = nn.BCEWithLogitsLoss(**bce_kwargs)
        self.dc = SoftDiceLoss(nonlin=torch.sigmoid, **soft_dice_kwargs)

    def forward(self, net_output: torch.Tensor, target: torch.Tensor):
        return self.weight_ce * self.ce(net_output, target.float()) + self.weight_dice * self.dc(net_output, target)
