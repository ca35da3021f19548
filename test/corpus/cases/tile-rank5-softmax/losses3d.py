"""Tversky loss for volumetric outputs (b, c, x, y, z)."""
import torch
from torch import nn


def channel_softmax(x):
    """Softmax over axis 1, with the max/sum tiled explicitly to the input shape."""
    reps = [1] * x.dim()
    reps[1] = x.shape[1]
    shifted = x - x.max(dim=1, keepdim=True)[0].repeat(*reps)
    num = shifted.exp()
    den = num.sum(dim=1, keepdim=True).repeat(*reps)
    return num / den


class TverskyLoss3D(nn.Module):
    def __init__(self, alpha=0.3, beta=0.7, smooth=1.0):
        super(TverskyLoss3D, self).__init__()
        self.alpha = alpha
        self.beta = beta
        self.smooth = smooth

    def forward(self, net_output, gt):
        """net_output: logits (b, c, x, y, z); gt: label volume (b, 1, x, y, z)."""
        probs = channel_softmax(net_output)
        with torch.no_grad():
            onehot = torch.zeros(net_output.shape, device=net_output.device)
            onehot.scatter_(1, gt.long(), 1)
        axes = (2, 3, 4)
        tp = (probs * onehot).sum(axes)
        fp = (probs * (1 - onehot)).sum(axes)
        fn = ((1 - probs) * onehot).sum(axes)
        tversky = (tp + self.smooth) / (tp + self.alpha * fp + self.beta * fn + self.smooth)
        return 1 - tversky[:, 1:].mean()
