"""Validation case (b): generalized Dice (Sudre et al. 2017) with class weights 1/count^2 and no
epsilon. A class absent from the batch gets an infinite weight, so the loss is NaN.
Mirrored in real PyTorch by test/validation/torch_probe_validation.py."""
import torch


def generalized_dice_loss(pred, target):
    # pred: softmax probabilities (N, C, H, W); target: one-hot (N, C, H, W)
    dims = (0, 2, 3)
    w = 1.0 / (torch.sum(target, dim=dims) ** 2)
    intersection = torch.sum(pred * target, dim=dims)
    union = torch.sum(pred + target, dim=dims)
    return 1.0 - 2.0 * torch.sum(w * intersection) / torch.sum(w * union)
