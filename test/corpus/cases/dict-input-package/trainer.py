"""Training step: the criteria take one dict, built here."""
import torch

from medseg.losses.region import DiceLoss


class Trainer:
    def __init__(self, net, settings=None):
        self.net = net
        self.criterion = DiceLoss(settings)

    def step(self, image, soft_gt, voxel_weight=None):
        logits = self.net(image)
        loss_input_dict = {'prediction': logits, 'ground_truth': soft_gt}
        if voxel_weight is not None:
            loss_input_dict['pixel_weight'] = voxel_weight
        loss = self.criterion(loss_input_dict)
        loss.backward()
        return loss.item()
