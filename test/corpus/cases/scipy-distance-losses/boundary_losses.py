"""Distance-transform losses (boundary loss, Hausdorff-DT loss).

Distance maps are computed on the CPU with scipy from the labels (and, for
the Hausdorff loss, from a detached copy of the prediction); they are
constants for autograd.
"""
import cv2  # only for save_overlay
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from scipy.ndimage import distance_transform_edt


def signed_distance(mask):
    """Signed Euclidean distance to the mask boundary: negative inside, positive outside."""
    if not mask.any():
        return np.zeros(mask.shape, dtype=np.float32)
    outside = distance_transform_edt(~mask)
    inside = distance_transform_edt(mask)
    return (outside - (inside - 1) * mask).astype(np.float32)


class BoundaryLoss(nn.Module):
    """Kervadec et al. 2019 for multi-class outputs; background is left out."""

    def forward(self, logits, target):
        probs = torch.softmax(logits, dim=1)
        with torch.no_grad():
            onehot = F.one_hot(target, probs.shape[1]).permute(0, 3, 1, 2).bool().cpu().numpy()
            dist = np.stack([np.stack([signed_distance(m) for m in sample]) for sample in onehot])
            dist = torch.from_numpy(dist).to(device=probs.device, dtype=probs.dtype)
        return (probs[:, 1:] * dist[:, 1:]).mean()


class HausdorffDTLoss(nn.Module):
    """Binary Hausdorff loss based on distance transforms (Karimi & Salcudean 2019)."""

    def __init__(self, alpha=2.0):
        super().__init__()
        self.alpha = alpha

    @torch.no_grad()
    def distance_field(self, masks: np.ndarray) -> np.ndarray:
        """Distance to the nearest pixel of the other side of the boundary, per image."""
        out = np.zeros(masks.shape, dtype=np.float32)
        for i, inside in enumerate(masks > 0.5):
            if inside.any() and (~inside).any():
                out[i] = distance_transform_edt(inside) + distance_transform_edt(~inside)
        return out

    def forward(self, logits, target):
        """logits: (B, 1, H, W); target: (B, 1, H, W) in {0, 1}."""
        probs = torch.sigmoid(logits)
        dist_pred = torch.from_numpy(self.distance_field(probs.detach().cpu().numpy()))
        dist_true = torch.from_numpy(self.distance_field(target.cpu().numpy()))
        weight = dist_pred.pow(self.alpha) + dist_true.pow(self.alpha)
        return ((probs - target).pow(2) * weight).mean()


def save_overlay(image, mask, path):
    """Debug helper: draw the mask contour on the image and write it to disk."""
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    canvas = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    cv2.drawContours(canvas, contours, -1, (0, 0, 255), 1)
    cv2.imwrite(path, canvas)
