"""Losses of a segmentation library whose networks may return auxiliary heads."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PixelCELoss(nn.Module):
    """Cross-entropy on (N, C, H, W) logits and (N, H, W) class maps."""

    def __init__(self, ignore_index=-1, **_):
        super().__init__()
        self.ignore_index = ignore_index

    def forward(self, logits, labels, **_):
        return F.cross_entropy(logits, labels.long(), ignore_index=self.ignore_index)


class AuxPixelCELoss(PixelCELoss):
    """The networks return a tuple of heads when aux is on, their main output alone otherwise."""

    def __init__(self, aux=False, aux_weight=0.4, **kwargs):
        super().__init__(**kwargs)
        self.aux = aux
        self.aux_weight = aux_weight

    def _with_aux(self, *inputs):
        *heads, target = tuple(inputs)
        total = super().forward(heads[0], target)
        for extra in heads[1:]:
            total = total + self.aux_weight * super().forward(extra, target)
        return total

    def forward(self, *inputs, **_):
        preds, target = tuple(inputs)
        inputs = tuple(list(preds) + [target])
        if self.aux:
            return dict(loss=self._with_aux(*inputs))
        return dict(loss=super().forward(preds, target))


class MaskedBCEDiceLoss(nn.Module):
    """BCE with a per-pixel weight mask plus a soft Dice, on multi-label maps.

    logits and labels are B x C x H x W; weights are B x H x W (one weight per pixel,
    shared by the channels).
    """

    def __init__(self, dice_weight=1.0, smooth=1.0, **_):
        super().__init__()
        self.dice_weight = dice_weight
        self.smooth = smooth

    def forward(self, logits, labels, weights, **_):
        if len(logits.shape) != len(labels.shape):
            raise AssertionError
        if logits.size(0) != weights.size(0):
            raise AssertionError
        if logits.size(2) != weights.size(1) or logits.size(3) != weights.size(2):
            raise AssertionError
        per_pixel = F.binary_cross_entropy_with_logits(logits, labels, reduction='none')
        bce = (per_pixel * weights.unsqueeze(1)).sum() / (weights.sum() * logits.size(1))
        probs = torch.sigmoid(logits)
        inter = (probs * labels).sum(dim=(2, 3))
        total = probs.sum(dim=(2, 3)) + labels.sum(dim=(2, 3))
        dice = (2 * inter + self.smooth) / (total + self.smooth)
        return bce + self.dice_weight * (1 - dice).mean()
