"""Cross-entropy for N-dimensional outputs with (b, 1, x, y(, z)) label maps."""
import torch
from torch import nn


class VoxelCrossEntropy(nn.CrossEntropyLoss):
    """Flattens every voxel into a row, then applies nn.CrossEntropyLoss."""

    def forward(self, inp, target):
        n_classes = inp.shape[1]
        rows = torch.movedim(inp, 1, -1).reshape(-1, n_classes)
        labels = target.long().reshape(-1)
        return super(VoxelCrossEntropy, self).forward(rows, labels)
