"""Class-weighted Dice + CE for liver / tumour segmentation.

Weights follow ENet (Paszke et al. 2016): w = 1 / ln(1.02 + frequency), with
frequencies measured once on the training set.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# background, liver, tumour (fraction of training voxels)
CLASS_FREQUENCY = np.array([0.92, 0.07, 0.01])


def enet_weights(freq, c=1.02):
    w = 1.0 / np.log(c + freq)
    return w / w.sum() * len(w)


class WeightedDiceCELoss(nn.Module):
    def __init__(self, freq=CLASS_FREQUENCY, smooth=1.0):
        super().__init__()
        self.register_buffer("class_weights", torch.from_numpy(enet_weights(freq)))
        self.smooth = smooth

    def forward(self, logits, target):
        ce = F.cross_entropy(logits, target, weight=self.class_weights.float())

        probs = logits.softmax(dim=1)
        onehot = F.one_hot(target, probs.shape[1]).permute(0, 3, 1, 2).float()
        inter = (probs * onehot).sum(dim=(0, 2, 3))
        total = (probs + onehot).sum(dim=(0, 2, 3))
        dice = (2 * inter + self.smooth) / (total + self.smooth)
        weighted_dice = (dice * self.class_weights).sum() / self.class_weights.sum()
        return ce + (1 - weighted_dice)
