"""Generalized Dice for the 3-D U-Net (logits in, label volumes (B, 1, D, H, W) in)."""
import torch
from torch import einsum, nn


class GeneralizedDiceLoss(nn.Module):
    def __init__(self, smooth=1e-5):
        super().__init__()
        self.smooth = smooth

    def forward(self, net_output, gt):
        with torch.no_grad():
            y_onehot = torch.zeros_like(net_output)
            y_onehot.scatter_(1, gt.long(), 1.0)

        probs = torch.softmax(net_output, dim=1)

        vol = einsum("bcxyz->bc", y_onehot)
        w = 1.0 / (vol * vol)
        # a class missing from a volume: the largest finite weight of that volume instead of inf
        missing = torch.isinf(w)
        w[missing] = 0.0
        w = w + missing * w.max(dim=1, keepdim=True).values

        overlap = einsum("bc,bcxyz,bcxyz->b", w, probs, y_onehot)
        total = einsum("bc,bcxyz->b", w, probs) + einsum("bc,bc->b", w, vol)
        gdc = (2 * overlap + self.smooth) / (total + self.smooth)
        return 1 - gdc.mean()
