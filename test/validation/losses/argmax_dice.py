"""Validation case (a): a multi-class Dice computed over torch.argmax of the prediction.
The argmax has no gradient, so nothing reaches the model and training cannot learn.
Mirrored in real PyTorch by test/validation/torch_probe_validation.py."""
import torch
import torch.nn.functional as F


def argmax_dice_loss(logits, labels, smooth=1.0):
    classes = logits.shape[1]
    predicted = torch.argmax(logits, dim=1)
    predicted = F.one_hot(predicted, classes).permute(0, 3, 1, 2).float()
    expected = F.one_hot(labels, classes).permute(0, 3, 1, 2).float()
    overlap = (predicted * expected).sum(dim=(2, 3))
    total = predicted.sum(dim=(2, 3)) + expected.sum(dim=(2, 3))
    return 1 - ((2 * overlap + smooth) / (total + smooth)).mean()
