"""Train on 3-D patches of 64 x 128 x 128 voxels."""
import torch
from torch import nn

from losses3d import TverskyLoss3D

PATCH = (64, 128, 128)
N_CLASSES = 3

model = nn.Sequential(
    nn.Conv3d(1, 16, 3, padding=1),
    nn.ReLU(inplace=True),
    nn.Conv3d(16, N_CLASSES, 1),
)
criterion = TverskyLoss3D(alpha=0.3, beta=0.7)
optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)


def step(volume, labels):
    """volume: (B, 1, *PATCH) float, labels: (B, 1, *PATCH) int."""
    optimizer.zero_grad()
    loss = criterion(model(volume), labels)
    loss.backward()
    optimizer.step()
    return loss.item()
