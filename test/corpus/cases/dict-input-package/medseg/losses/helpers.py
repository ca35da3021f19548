"""Tensor helpers shared by the criteria."""
import torch


def voxels_by_class(x):
    """[N, C, H, W] or [N, C, D, H, W] -> [voxels, C]."""
    channels = x.shape[1]
    if x.dim() == 5:
        moved = x.permute(0, 2, 3, 4, 1)
    elif x.dim() == 4:
        moved = x.permute(0, 2, 3, 1)
    else:
        raise ValueError('expected a 4-D or 5-D tensor, got {}-D'.format(x.dim()))
    return torch.reshape(moved, (-1, channels))


def dice_per_class(probs, onehot, voxel_weight=None, eps=1e-5):
    """Soft Dice of each class over every voxel of the batch."""
    if voxel_weight is None:
        overlap = torch.sum(probs * onehot, dim=0)
        volume = torch.sum(probs, dim=0) + torch.sum(onehot, dim=0)
    else:
        overlap = torch.sum(probs * onehot * voxel_weight, dim=0)
        volume = torch.sum(probs * voxel_weight, dim=0) + torch.sum(onehot * voxel_weight, dim=0)
    return (2.0 * overlap + eps) / (volume + eps)
