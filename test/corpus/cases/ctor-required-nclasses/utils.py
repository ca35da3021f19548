"""Losses and evaluation helpers for the abdominal-organ model."""
import numpy as np
import torch
import torch.nn as nn
from medpy import metric


class DiceLoss(nn.Module):
    """Soft Dice per organ, averaged with optional organ weights.

    The network emits raw scores: call it with ``softmax=True`` on them.
    """

    def __init__(self, n_classes):
        super(DiceLoss, self).__init__()
        self.n_classes = n_classes

    def _expand_labels(self, label_map):
        channels = [(label_map == k).unsqueeze(1) for k in range(self.n_classes)]
        return torch.cat(channels, dim=1).float()

    @staticmethod
    def _organ_loss(prob, mask, eps=1e-5):
        mask = mask.float()
        overlap = torch.sum(prob * mask)
        energy = torch.sum(prob * prob) + torch.sum(mask * mask)
        return 1 - (2 * overlap + eps) / (energy + eps)

    def forward(self, scores, labels, weight=None, softmax=False):
        probs = torch.softmax(scores, dim=1) if softmax else scores
        target = self._expand_labels(labels)
        weight = weight if weight is not None else [1.0] * self.n_classes
        if probs.shape != target.shape:
            raise ValueError(f"prediction {tuple(probs.shape)} and expanded labels {tuple(target.shape)} differ")
        organ_scores = []  # for the training log
        total = 0.0
        for k in range(self.n_classes):
            organ = self._organ_loss(probs[:, k], target[:, k])
            organ_scores.append(1.0 - organ.item())
            total = total + organ * weight[k]
        return total / self.n_classes


class BoundaryDiceLoss(nn.Module):
    """Dice on a band around the label boundaries; settings come from the YAML config."""

    def __init__(self, cfg):
        super(BoundaryDiceLoss, self).__init__()
        self.n_classes = cfg.MODEL.NUM_CLASSES
        self.band = cfg.LOSS.BOUNDARY_BAND
        self.smooth = cfg.LOSS.SMOOTH

    def forward(self, inputs, target):
        probs = torch.softmax(inputs, dim=1)
        onehot = torch.nn.functional.one_hot(target.long(), self.n_classes).permute(0, 3, 1, 2).float()
        eroded = -torch.nn.functional.max_pool2d(-onehot, self.band, 1, self.band // 2)
        band = onehot - eroded
        inter = torch.sum(probs * onehot * band, dim=(2, 3))
        denom = torch.sum((probs + onehot) * band, dim=(2, 3))
        return 1 - ((2 * inter + self.smooth) / (denom + self.smooth)).mean()


def case_metrics(pred, gt):
    """Dice and 95% Hausdorff distance of one binary organ mask (numpy arrays)."""
    if pred.sum() > 0 and gt.sum() > 0:
        return metric.binary.dc(pred > 0, gt > 0), metric.binary.hd95(pred > 0, gt > 0)
    if pred.sum() > 0:
        return 0.0, 0.0
    return (1.0, 0.0) if gt.sum() == 0 else (0.0, 0.0)
