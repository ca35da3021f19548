import torch
import torch.nn.functional as F


def check_inputs(y_true, y_pred):
    if y_pred.dim() != 5:
        raise ValueError(f"expected a (B, C, H, W, D) prediction, got {tuple(y_pred.shape)}")
    if y_true.shape[1] != 1:
        raise ValueError("labels must have a single channel")


def one_hot_labels(y_true, num_classes):
    """(B, 1, H, W, D) integer labels -> (B, C, H, W, D) float."""
    y = F.one_hot(y_true[:, 0].long(), num_classes)
    return torch.movedim(y, -1, 1).float()
