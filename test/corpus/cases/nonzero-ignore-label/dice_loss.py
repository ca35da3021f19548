#!/usr/bin/python
# -*- encoding: utf-8 -*-
"""Batch soft Dice for street-scene parsing, with an ignore label."""
import torch
import torch.nn as nn


class PooledSoftDiceLoss(nn.Module):
    '''
    Soft Dice per class, pooled over the batch, averaged over classes.

    logits: (N, C, H, W) raw scores
    label:  (N, H, W) class indices, ``ignore_lb`` for unlabeled pixels
    '''
    def __init__(self, p=1, smooth=1., ignore_lb=255):
        super(PooledSoftDiceLoss, self).__init__()
        self.p = p
        self.smooth = smooth
        self.ignore_lb = ignore_lb

    def forward(self, logits, label):
        invalid = label == self.ignore_lb
        label = label.masked_fill(invalid, 0)
        onehot = torch.zeros_like(logits).scatter_(1, label.unsqueeze(1), 1.)

        # unlabeled pixels must not count as class 0
        coords = invalid.nonzero()
        if coords.numel() > 0:
            n_idx, h_idx, w_idx = coords.unbind(1)
            onehot[n_idx, :, h_idx, w_idx] = 0.
        onehot = onehot.detach()

        probs = logits.sigmoid()
        numer = torch.sum(probs * onehot, dim=(0, 2, 3))
        denom = torch.sum(probs.pow(self.p) + onehot.pow(self.p), dim=(0, 2, 3))
        loss = 1. - (2 * numer + self.smooth) / (denom + self.smooth)
        return loss.mean()


if __name__ == '__main__':
    # smoke test on a Cityscapes-sized batch with an unlabeled patch
    scores = torch.randn(2, 19, 256, 512, requires_grad=True)
    labels = torch.randint(0, 19, (2, 256, 512))
    labels[0, :32, :32] = 255
    value = PooledSoftDiceLoss()(scores, labels)
    value.backward()
    print(f"loss {value.item():.4f}, grad norm {scores.grad.norm():.4f}")
