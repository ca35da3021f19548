"""Tversky loss for multi-class segmentation."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TverskyLoss(nn.Module):
    """1 - Tversky index TP / (TP + alpha FP + beta FN), one index per image.

    ``alpha`` weighs false positives and ``beta`` false negatives; both 0.5
    gives the Dice loss, both 1 the Jaccard loss. Classes and pixels of an
    image are pooled into one index.

    Shapes: ``pred`` (N, C, H, W) raw scores, ``target`` (N, H, W) class indices.

    Example::

        criterion = TverskyLoss(alpha=0.5, beta=0.5)
        logits = torch.randn(2, 4, 64, 64, requires_grad=True)   # 4 classes
        labels = torch.randint(0, 4, (2, 64, 64))
        criterion(logits, labels).backward()
    """

    def __init__(self, alpha: float, beta: float, eps: float = 1e-8) -> None:
        super().__init__()
        self.alpha = alpha
        self.beta = beta
        self.eps = eps

    def forward(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if pred.shape[-2:] != target.shape[-2:]:
            raise ValueError(f"spatial sizes differ: {tuple(pred.shape)} vs {tuple(target.shape)}")
        probs = pred.softmax(dim=1)
        onehot = F.one_hot(target, pred.shape[1]).movedim(-1, 1).type_as(probs)
        axes = (1, 2, 3)
        tp = (probs * onehot).sum(axes)
        fp = (probs * (1 - onehot)).sum(axes)
        fn = ((1 - probs) * onehot).sum(axes)
        score = tp / (tp + self.alpha * fp + self.beta * fn + self.eps)
        return (1.0 - score).mean()
