"""A multi-class Dice loss that looks right and trains nothing: the argmax turns the soft
prediction into class indices before the overlap is measured, so no gradient reaches the model."""
import torch
import torch.nn.functional as F


def hard_dice_loss(logits, labels, smooth=1.0):
    classes = logits.shape[1]
    predicted = torch.argmax(logits, dim=1)
    predicted = F.one_hot(predicted, classes).permute(0, 3, 1, 2).float()
    expected = F.one_hot(labels, classes).permute(0, 3, 1, 2).float()
    overlap = (predicted * expected).sum(dim=(2, 3))
    total = predicted.sum(dim=(2, 3)) + expected.sum(dim=(2, 3))
    return 1 - ((2 * overlap + smooth) / (total + smooth)).mean()
