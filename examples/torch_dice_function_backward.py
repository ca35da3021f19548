"""A memory-saving Dice loss with a hand-written backward that forgets the batch mean: its forward
averages the per-image losses, its gradient is the gradient of their sum, N times too large."""
import torch
import torch.nn as nn


class DiceFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, logits, masks, smooth):
        probs = torch.sigmoid(logits)
        overlap = (probs * masks).sum(dim=(1, 2, 3))
        total = probs.sum(dim=(1, 2, 3)) + masks.sum(dim=(1, 2, 3))
        ctx.save_for_backward(probs, masks, overlap, total)
        ctx.smooth = smooth
        return (1 - (2 * overlap + smooth) / (total + smooth)).mean()

    @staticmethod
    def backward(ctx, grad_output):
        probs, masks, overlap, total = ctx.saved_tensors
        s = ctx.smooth
        overlap, total = overlap.view(-1, 1, 1, 1), total.view(-1, 1, 1, 1)
        d_probs = ((2 * overlap + s) - 2 * masks * (total + s)) / (total + s) ** 2
        return grad_output * d_probs * probs * (1 - probs), None, None


class LowMemoryDiceLoss(nn.Module):
    def __init__(self, smooth=1.0):
        super().__init__()
        self.smooth = smooth

    def forward(self, logits, masks):
        return DiceFunction.apply(logits, masks.float(), self.smooth)
