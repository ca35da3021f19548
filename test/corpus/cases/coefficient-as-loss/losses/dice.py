import torch
import torch.nn as nn


class SoftDice(nn.Module):
    """Soft Dice for binary masks, (N, 1, H, W) logits and masks."""

    def __init__(self, smooth=1e-6):
        super().__init__()
        self.smooth = smooth

    def forward(self, logits, masks):
        probs = torch.sigmoid(logits)
        dims = (1, 2, 3)
        num = 2 * (probs * masks).sum(dim=dims) + self.smooth
        den = probs.sum(dim=dims) + masks.sum(dim=dims) + self.smooth
        return (num / den).mean()
