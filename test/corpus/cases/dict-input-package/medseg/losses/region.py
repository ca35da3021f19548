"""Region and cross-entropy criteria; each reads its tensors from one dict."""
import torch

from medseg.losses.base import SegCriterion
from medseg.losses.helpers import dice_per_class, voxels_by_class


class DiceLoss(SegCriterion):
    """Mean soft Dice loss over the classes."""

    def __init__(self, settings=None):
        super().__init__(settings)

    def forward(self, loss_input_dict):
        logits = loss_input_dict['prediction']
        soft_gt = loss_input_dict['ground_truth']
        voxel_w = loss_input_dict.get('pixel_weight', None)
        class_w = loss_input_dict.get('class_weight', None)
        if isinstance(logits, (list, tuple)):
            logits = logits[0]
        probs = logits if self.activation is None else self.activate(logits, self.activation)
        probs = voxels_by_class(probs)
        soft_gt = voxels_by_class(soft_gt)
        if voxel_w is not None:
            voxel_w = voxels_by_class(voxel_w)
        per_class = 1.0 - dice_per_class(probs, soft_gt, voxel_w)
        if class_w is None:
            return per_class.mean()
        return (per_class * class_w).sum() / class_w.sum()


class ForegroundDiceLoss(SegCriterion):
    """Dice of all foreground classes fused into one (volumes only)."""

    def __init__(self, settings=None):
        super().__init__(settings)

    def forward(self, loss_input_dict):
        logits = loss_input_dict['prediction']
        soft_gt = loss_input_dict['ground_truth']
        probs = self.activate(logits, self.activation)
        # one minus the background channel is the fused foreground
        fg_probs = 1.0 - probs[:, :1, :, :, :]
        fg_gt = 1.0 - soft_gt[:, :1, :, :, :]
        score = dice_per_class(voxels_by_class(fg_probs), voxels_by_class(fg_gt))
        return 1.0 - score.mean()


class CrossEntropyLoss(SegCriterion):
    """Voxel-wise cross-entropy against soft one-hot labels."""

    def __init__(self, settings=None):
        super().__init__(settings)

    def forward(self, loss_input_dict):
        logits = loss_input_dict['prediction']
        soft_gt = loss_input_dict['ground_truth']
        voxel_w = loss_input_dict.get('pixel_weight', None)
        class_w = loss_input_dict.get('class_weight', None)
        probs = voxels_by_class(self.activate(logits, self.activation))
        soft_gt = voxels_by_class(soft_gt)
        terms = -soft_gt * torch.log(probs + 1e-7)
        if class_w is not None:
            terms = terms * class_w
        per_voxel = torch.sum(terms, dim=1)
        if voxel_w is None:
            return per_voxel.mean()
        voxel_w = torch.squeeze(voxels_by_class(voxel_w))
        return torch.sum(per_voxel * voxel_w) / (voxel_w.sum() + 1e-7)


class GeneralizedDiceLoss(SegCriterion):
    """Generalized Dice: classes weighted by their inverse squared volume in the batch."""

    def __init__(self, settings=None):
        super().__init__(settings)

    def forward(self, loss_input_dict):
        probs = self.activate(loss_input_dict['prediction'], self.activation)
        soft_gt = loss_input_dict['ground_truth']
        probs = voxels_by_class(probs)
        soft_gt = voxels_by_class(soft_gt)
        gt_volume = torch.sum(soft_gt, dim=0)
        weights = 1.0 / (gt_volume * gt_volume)
        overlap = torch.sum(weights * torch.sum(probs * soft_gt, dim=0))
        total = torch.sum(weights * (torch.sum(probs, dim=0) + gt_volume))
        return 1.0 - 2.0 * overlap / total
