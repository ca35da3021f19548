"""Encoding helpers shared by the models and the losses."""
import torch


def one_hot_nchw(labels, num_classes):
    """Integer map (N, H, W) -> one-hot (N, C, H, W), same float dtype as torch default."""
    shape = (labels.shape[0], num_classes) + tuple(labels.shape[1:])
    out = torch.zeros(shape, device=labels.device)
    return out.scatter_(1, labels.unsqueeze(1).long(), 1.0)
