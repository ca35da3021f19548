#!/usr/bin/python
# -*- encoding: utf-8 -*-
"""Binary soft Dice with a hand-derived backward pass.

Autograd would keep every intermediate of the sigmoid/sum graph alive; the
closed form below only keeps the probabilities.
"""
import torch
import torch.nn as nn
import torch.cuda.amp as amp


class SoftDiceFunction(torch.autograd.Function):

    @staticmethod
    @amp.custom_fwd(cast_inputs=torch.float32)
    def forward(ctx, logits, labels, smooth):
        '''
        logits, labels: (N, L); returns the loss of every row, shape (N,)
        '''
        probs = torch.sigmoid(logits)
        overlap = torch.sum(probs * labels, dim=1)
        numer = overlap + overlap + smooth
        denom = torch.sum(probs, dim=1) + torch.sum(labels, dim=1) + smooth
        ctx.save_for_backward(probs, labels, numer, denom)
        return 1. - numer / denom

    @staticmethod
    @amp.custom_bwd
    def backward(ctx, grad_output):
        probs, labels, numer, denom = ctx.saved_tensors
        numer, denom = numer.unsqueeze(1), denom.unsqueeze(1)
        # d(1 - N/D)/dp = (N - 2 y D) / D^2, and dp/dlogit = p (1 - p)
        dloss_dprob = (numer - 2 * labels * denom) / denom.pow(2)
        grad_logits = dloss_dprob * probs * (1 - probs) * grad_output.unsqueeze(1)
        return grad_logits, None, None


class FastSoftDiceLoss(nn.Module):
    def __init__(self, smooth=1.):
        super(FastSoftDiceLoss, self).__init__()
        self.smooth = smooth

    def forward(self, logits, labels):
        '''
        logits: (N, 1, H, W) raw scores, labels: (N, 1, H, W) in {0, 1}
        '''
        n = logits.size(0)
        loss = SoftDiceFunction.apply(logits.view(n, -1), labels.view(n, -1).float(), self.smooth)
        return loss.mean()


if __name__ == '__main__':
    x = torch.randn(4, 1, 32, 32, dtype=torch.double, requires_grad=True)
    y = torch.randint(0, 2, (4, 1, 32, 32)).double()
    ok = torch.autograd.gradcheck(lambda t: SoftDiceFunction.apply(t.view(4, -1), y.view(4, -1), 1.), (x,))
    print('gradcheck', ok)
