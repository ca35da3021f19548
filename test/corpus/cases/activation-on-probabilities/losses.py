import torch
import torch.nn as nn
import torch.nn.functional as F


class DiceLoss(nn.Module):
    """Mean soft Dice over the foreground classes."""

    def __init__(self, smooth=1.0):
        super(DiceLoss, self).__init__()
        self.smooth = smooth

    def forward(self, inputs, targets):
        num_classes = inputs.shape[1]
        inputs = torch.sigmoid(inputs)
        targets = F.one_hot(targets, num_classes).permute(0, 3, 1, 2).float()
        inputs = inputs[:, 1:].flatten(2)
        targets = targets[:, 1:].flatten(2)
        intersection = (inputs * targets).sum(-1)
        dice = (2. * intersection + self.smooth) / (inputs.sum(-1) + targets.sum(-1) + self.smooth)
        return 1 - dice.mean()
