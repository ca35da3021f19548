"""Binary lesion objectives; the training loop hands each one the batch dict it filled."""
import torch
import torch.nn.functional as F


def bce_dice_loss(batch, smooth=1.0, bce_weight=0.5):
    """batch['pred']: logits (B, 1, H, W); batch['gt']: binary masks (B, 1, H, W)."""
    logits = batch['pred']
    masks = batch['gt']
    valid = batch.get('valid', None)
    bce = F.binary_cross_entropy_with_logits(logits, masks, weight=valid)
    probs = torch.sigmoid(logits)
    dims = (1, 2, 3)
    overlap = torch.sum(probs * masks, dim=dims)
    total = torch.sum(probs, dim=dims) + torch.sum(masks, dim=dims)
    dice = (2.0 * overlap + smooth) / (total + smooth)
    return bce_weight * bce + (1.0 - bce_weight) * (1.0 - dice.mean())
