"""Class weighting and reduction of per-class losses."""
import torch

from metrics import overlap


def reduce_loss(per_class, weights=None, reduction="mean"):
    if reduction not in overlap.VALID_REDUCTIONS:
        raise ValueError(f"reduction must be one of {overlap.VALID_REDUCTIONS}")
    if weights is not None:
        w = torch.as_tensor(weights, dtype=per_class.dtype, device=per_class.device)
        per_class = per_class * w / w.sum() * w.numel()
    if reduction == "mean":
        return per_class.mean()
    if reduction == "sum":
        return per_class.sum()
    return per_class
