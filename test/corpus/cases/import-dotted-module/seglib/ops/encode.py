"""Label encodings."""
import torch
import torch.nn.functional as F


def labels_to_onehot(labels, num_classes):
    """(N, H, W) integer labels -> (N, C, H, W) float one-hot."""
    onehot = F.one_hot(labels.long(), num_classes)
    # one_hot puts the class axis last; move it next to the batch axis
    return onehot.permute(0, onehot.dim() - 1, *range(1, onehot.dim() - 1)).float()
