from typing import Callable, Optional

import torch
from torch import nn


def soft_confusion(probs, labels, axes):
    """Soft true positives, false positives and false negatives per class.

    probs: (b, c, x, y(, z)); labels: (b, 1, x, y(, z)) class indices or a one-hot map like probs.
    """
    with torch.no_grad():
        if labels.dim() != probs.dim():
            labels = labels.unsqueeze(1)
        if labels.shape == probs.shape:
            onehot = labels
        else:
            onehot = torch.zeros(probs.shape, device=probs.device)
            onehot.scatter_(1, labels.long(), 1)
    tp = (probs * onehot).sum(dim=axes)
    fp = (probs * (1 - onehot)).sum(dim=axes)
    fn = ((1 - probs) * onehot).sum(dim=axes)
    return tp, fp, fn


class SoftDiceLoss(nn.Module):
    def __init__(self, nonlin: Optional[Callable] = None, batch_dice: bool = False, do_bg: bool = True,
                 smooth: float = 1.):
        super(SoftDiceLoss, self).__init__()
        self.nonlin = nonlin
        self.batch_dice = batch_dice
        self.do_bg = do_bg
        self.smooth = smooth

    def forward(self, x, y):
        spatial = list(range(2, x.dim()))
        axes = [0] + spatial if self.batch_dice else spatial
        if self.nonlin is not None:
            x = self.nonlin(x)
        tp, fp, fn = soft_confusion(x, y, axes)
        dice = (2 * tp + self.smooth) / torch.clip(2 * tp + fp + fn + self.smooth, 1e-8)
        if not self.do_bg:
            dice = dice[1:] if self.batch_dice else dice[:, 1:]
        # minimising -dice maximises the overlap
        return -dice.mean()
