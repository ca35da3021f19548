"""Memory-lean binary Dice loss (custom autograd function).

    criterion = LeanDiceLoss(smooth=1.0)
    loss = criterion(model(images), masks)   # (N, 1, H, W) each
"""
import torch
import torch.nn as nn


class _LeanDice(torch.autograd.Function):

    @staticmethod
    def forward(ctx, logits, labels, smooth):
        # logits, labels: (N, L)
        probs = torch.sigmoid(logits)
        overlap = torch.sum(probs * labels, dim=1)
        numer = overlap + overlap + smooth
        denom = torch.sum(probs, dim=1) + torch.sum(labels, dim=1) + smooth
        ctx.save_for_backward(probs, labels, numer, denom)
        return 1. - numer / denom

    @staticmethod
    def backward(ctx, grad_output):
        probs, labels, numer, denom = ctx.saved_tensors
        numer, denom = numer.unsqueeze(1), denom.unsqueeze(1)
        grad = (numer - 2 * labels * denom) / denom.pow(2)
        grad = grad * probs * (1 - probs) * grad_output.unsqueeze(1)
        return None, grad, None


class LeanDiceLoss(nn.Module):
    def __init__(self, smooth=1.):
        super(LeanDiceLoss, self).__init__()
        self.smooth = smooth

    def forward(self, logits, labels):
        n = logits.size(0)
        loss = _LeanDice.apply(logits.view(n, -1), labels.view(n, -1).float(), self.smooth)
        return loss.mean()
