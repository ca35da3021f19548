#!/usr/bin/python
# -*- encoding: utf-8 -*-
#
# Sigmoid focal loss, two implementations with the same result:
#   SigmoidFocalLoss       plain PyTorch
#   SigmoidFocalLossCUDA   fused kernel, saves memory (python setup.py install first)

import torch
import torch.nn as nn
import torch.nn.functional as F

import fused_focal_cuda  # built from csrc/focal_kernel.cu


def _reduce(loss, reduction):
    if reduction == 'mean':
        return loss.mean()
    if reduction == 'sum':
        return loss.sum()
    return loss


class SigmoidFocalLoss(nn.Module):

    def __init__(self, alpha=0.25, gamma=2, reduction='mean'):
        super(SigmoidFocalLoss, self).__init__()
        self.alpha = alpha
        self.gamma = gamma
        self.reduction = reduction

    def forward(self, logits, label):
        '''
        logits, label: same shape, label in {0, 1} as float
        '''
        probs = torch.sigmoid(logits)
        weight = torch.abs(label - probs).pow(self.gamma)
        # log(p) and log(1 - p) without overflow: pick the stable form by the sign of the logit
        log_p = torch.where(logits >= 0, -F.softplus(-logits), logits - F.softplus(logits))
        log_not_p = torch.where(logits >= 0, -logits - F.softplus(-logits), -F.softplus(logits))
        loss = -(self.alpha * label * log_p + (1. - self.alpha) * (1. - label) * log_not_p) * weight
        return _reduce(loss, self.reduction)


class SigmoidFocalLossCUDA(nn.Module):

    def __init__(self, alpha=0.25, gamma=2, reduction='mean'):
        super(SigmoidFocalLossCUDA, self).__init__()
        self.alpha = alpha
        self.gamma = gamma
        self.reduction = reduction

    def forward(self, logits, label):
        logits = logits.float()
        loss = fused_focal_cuda.focal_loss_forward(logits, label, self.gamma, self.alpha)
        return _reduce(loss, self.reduction)


if __name__ == '__main__':
    x = torch.randn(4, 19, 64, 64).cuda()
    y = torch.randint(0, 2, (4, 19, 64, 64)).float().cuda()
    print(SigmoidFocalLoss()(x, y), SigmoidFocalLossCUDA()(x, y))
