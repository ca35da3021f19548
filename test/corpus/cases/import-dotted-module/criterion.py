"""Training criterion for the organ segmentation baseline.

The network emits raw scores (N, C, H, W); the masks are integer label maps.
"""
import torch
import torch.nn as nn

import seglib.ops.reduce
import seglib.ops.encode as enc


class SoftDiceLoss(nn.Module):
    """Mean soft Dice over classes and images, computed from logits."""

    def __init__(self, smooth=1.0):
        super().__init__()
        self.smooth = smooth

    def forward(self, logits, labels):
        probs = torch.softmax(logits, dim=1)
        target = enc.labels_to_onehot(labels, probs.shape[1])

        intersection = seglib.ops.reduce.spatial_sum(probs * target)
        cardinality = seglib.ops.reduce.spatial_sum(probs + target)
        dice = seglib.ops.reduce.safe_ratio(2.0 * intersection + self.smooth, cardinality + self.smooth)
        return 1.0 - dice.mean()


if __name__ == "__main__":
    torch.manual_seed(0)
    scores = torch.randn(2, 4, 32, 32, requires_grad=True)
    masks = torch.randint(0, 4, (2, 32, 32))
    loss = SoftDiceLoss()(scores, masks)
    loss.backward()
    print(f"loss={loss.item():.4f} grad norm={scores.grad.norm():.4f}")
