import numpy as np
import torch

from seg.training.loss.compound import DiceCELoss


class Trainer(object):
    def __init__(self, plans: dict, fold: int, device: torch.device = torch.device("cuda")):
        self.plans = plans
        self.fold = fold
        self.device = device
        self.learning_rate = 1e-2
        self.max_epochs = 1000
        self.batch_dice = True
        self.loss = self.build_loss()

    def build_loss(self):
        return DiceCELoss({'batch_dice': self.batch_dice, 'smooth': 1e-5, 'do_bg': False}, {},
                          weight_ce=1, weight_dice=1, ignore_label=None)

    def train_step(self, network, optimizer, batch: dict) -> dict:
        images = batch['data'].to(self.device, non_blocking=True)
        labels = batch['target'].to(self.device, non_blocking=True)
        optimizer.zero_grad(set_to_none=True)
        loss = self.loss(network(images), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(network.parameters(), 12)
        optimizer.step()
        return {'loss': loss.detach().cpu().numpy()}

    def end_of_epoch(self, losses):
        print('mean train loss', np.round(np.mean(losses), decimals=4))
