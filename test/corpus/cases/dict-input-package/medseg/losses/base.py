"""Common parent of the segmentation criteria: configuration and output activation."""
import torch
import torch.nn as nn


class SegCriterion(nn.Module):
    """Parent of every segmentation criterion of this package.

    Settings come in the optional `settings` mapping:

    :param `activation`: (optional, str) activation applied to the network output
        before the criterion ('softmax' by default, 'sigmoid', or None).
    """

    def __init__(self, settings=None):
        super().__init__()
        if settings is None:
            self.activation = 'softmax'
        else:
            self.activation = settings.get('activation', 'softmax')

    def activate(self, logits, kind='softmax'):
        if kind == 'softmax':
            return torch.softmax(logits, dim=1)
        if kind == 'sigmoid':
            return torch.sigmoid(logits)
        raise ValueError('unknown activation: {}'.format(kind))

    def forward(self, loss_input_dict):
        """Computes the criterion from the entries of `loss_input_dict`:

        :param `prediction`: (tensor) raw network output, with the
            shape of [N, C, D, H, W] or [N, C, H, W].
        :param `ground_truth`: (tensor) soft one-hot ground truth, with the
            shape of [N, C, D, H, W] or [N, C, H, W].
        :param `pixel_weight`: (optional) per-voxel weights, with the
            shape of [N, 1, D, H, W] or [N, 1, H, W].
        :param `class_weight`: (optional) per-class weights, of shape [C].
        """
        pass
