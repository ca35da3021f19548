"""Common preprocessing for the segmentation losses."""
from abc import ABC, abstractmethod

import torch
import torch.nn as nn

from volseg.losses import utils
from volseg.losses.constants import LossDefaults as defaults


class VolumeLoss(nn.Module, ABC):
    """Losses take (y_true, y_pred): integer labels first, raw logits second."""

    def __init__(self, skip_background=False, **kwargs):
        super().__init__()
        self.skip_background = skip_background
        self.spatial_axes = defaults.SPATIAL_AXES
        self.eps = defaults.EPSILON

    def prepare(self, y_true, y_pred):
        """Integer labels -> one-hot, logits -> probabilities, background dropped if asked."""
        utils.check_inputs(y_true, y_pred)
        onehot = utils.one_hot_labels(y_true, y_pred.shape[1])
        probs = torch.softmax(y_pred, dim=1)
        if self.skip_background:
            onehot, probs = onehot[:, 1:], probs[:, 1:]
        return onehot, probs

    @abstractmethod
    def forward(self, y_true, y_pred, **kwargs):
        """Return a scalar loss."""
