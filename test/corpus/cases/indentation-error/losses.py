import torch
import torch.nn as nn


class DiceLoss(nn.Module):
    def __init__(self, smooth=1.0):
        super(DiceLoss, self).__init__()
        self.smooth = smooth

    def forward(self, logits, target):
        probs = torch.sigmoid(logits)
        inter = (probs * target).sum()
        total = probs.sum() + target.sum()
          dice = (2 * inter + self.smooth) / (total + self.smooth)
        return 1 - dice
