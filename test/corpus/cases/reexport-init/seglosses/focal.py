import torch.nn as nn
import torch.nn.functional as F


class BinaryFocalLoss(nn.Module):
    """Focal loss (Lin et al. 2017) on logits of binary masks, alpha-balanced."""

    def __init__(self, alpha=0.25, gamma=2.0):
        super().__init__()
        self.alpha = alpha
        self.gamma = gamma

    def forward(self, inputs, targets):
        log_p = F.logsigmoid(inputs)
        log_not_p = F.logsigmoid(-inputs)
        p = log_p.exp()
        positive = -self.alpha * targets * (1 - p) ** self.gamma * log_p
        negative = -(1 - self.alpha) * (1 - targets) * p ** self.gamma * log_not_p
        return (positive + negative).mean()
