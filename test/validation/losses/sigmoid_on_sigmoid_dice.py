"""Validation case (c): the network already ends in a sigmoid, and the loss applies torch.sigmoid
again before a soft Dice. Probabilities in [0, 1] map to [0.5, 0.73]: every voxel looks at least
half foreground, the loss cannot reach its minimum and its gradient is squashed.
Mirrored in real PyTorch by test/validation/torch_probe_validation.py."""
import torch


def dice_loss(pred, target, smooth=1e-6):
    # pred: sigmoid probabilities (N, 1, H, W); target: binary mask (N, 1, H, W)
    pred = torch.sigmoid(pred)
    numerator = 2 * torch.sum(pred * target) + smooth
    denominator = torch.sum(pred + target) + smooth
    return 1 - numerator / denominator
