import torch


def soft_dice_score(output, target, smooth=0.0, eps=1e-7, dims=None):
    """2|A.B| / (|A| + |B|), summed over ``dims`` (over everything when None)."""
    if output.shape != target.shape:
        raise ValueError(f"output {tuple(output.shape)} and target {tuple(target.shape)} differ")
    overlap = (output * target).sum(dim=dims) if dims is not None else (output * target).sum()
    total = (output + target).sum(dim=dims) if dims is not None else (output + target).sum()
    return (2.0 * overlap + smooth) / (total + smooth).clamp_min(eps)
