"""Boundary-band loss: the error inside the morphological gradient band (dilation minus erosion) of
the predicted mask, computed with OpenCV on the CPU.
"""
import cv2
import numpy as np
import torch


KERNEL = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))


def band_error(probs, labels):
    """Mean squared error over the band around each predicted contour."""
    total = np.zeros(probs.shape[0], dtype=np.float32)
    for i in range(probs.shape[0]):
        soft = probs[i, 0].astype(np.float32)
        band = cv2.dilate(soft, KERNEL, iterations=1) - cv2.erode(soft, KERNEL, iterations=1)
        total[i] = ((soft - labels[i, 0]) ** 2 * band).mean()
    return total


def boundary_band_loss(logits, labels):
    """logits: (B, 1, H, W); labels: (B, 1, H, W) binary."""
    probs = torch.sigmoid(logits)
    per_image = band_error(probs.detach().cpu().numpy(), labels.cpu().numpy())
    return torch.from_numpy(per_image).mean()
