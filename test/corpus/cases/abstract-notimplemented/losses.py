"""Dice losses for the 3-D U-Net.

Inputs are network outputs (N, C, D, H, W) and one-hot targets of the same
shape (the data loader expands label volumes per channel).
"""
import torch
from torch import nn


def channels_first_flat(t):
    """(N, C, D, H, W) -> (C, N*D*H*W): one row per channel."""
    return t.transpose(0, 1).reshape(t.shape[1], -1)


def per_channel_dice(input, target, epsilon=1e-6, weight=None):
    """Dice of every channel (V-Net form, squared terms in the denominator)."""
    if input.shape != target.shape:
        raise ValueError(f"input {tuple(input.shape)} and target {tuple(target.shape)} differ")
    p = channels_first_flat(input)
    t = channels_first_flat(target).float()
    overlap = (p * t).sum(-1)
    if weight is not None:
        overlap = weight * overlap
    energy = (p * p).sum(-1) + (t * t).sum(-1)
    return 2 * overlap / energy.clamp(min=epsilon)


ACTIVATIONS = {
    "sigmoid": nn.Sigmoid,
    "softmax": lambda: nn.Softmax(dim=1),
    "none": nn.Identity,
}


class _BaseDiceLoss(nn.Module):
    """Activation + subclass-specific per-channel Dice; the loss is 1 - mean Dice."""

    def __init__(self, channel_weight=None, activation="softmax"):
        super().__init__()
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}")
        self.activation = ACTIVATIONS[activation]()
        self.register_buffer("channel_weight", channel_weight)

    def channel_dice(self, probs, target):
        raise NotImplementedError("subclasses compute the per-channel Dice")

    def forward(self, input, target):
        return 1.0 - torch.mean(self.channel_dice(self.activation(input), target))


class DiceLoss(_BaseDiceLoss):
    def channel_dice(self, probs, target):
        return per_channel_dice(probs, target, weight=self.channel_weight)


class GeneralizedDiceLoss(_BaseDiceLoss):
    """Sudre et al. 2017: every channel weighted by its inverse squared label volume."""

    def __init__(self, activation="softmax", epsilon=1e-6):
        super().__init__(activation=activation)
        self.epsilon = epsilon

    def channel_dice(self, probs, target):
        p = channels_first_flat(probs)
        t = channels_first_flat(target).float()
        volume = t.sum(-1)
        w = 1.0 / (volume * volume).clamp(min=self.epsilon)
        w.requires_grad = False
        numerator = ((p * t).sum(-1) * w).sum()
        denominator = ((p + t).sum(-1) * w).clamp(min=self.epsilon).sum()
        return 2 * numerator / denominator
