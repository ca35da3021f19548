import torch
from torch.utils.data import DataLoader

from losses import WeightedBCEDiceLoss


def train_epoch(model, dataset, optimizer, device="cuda"):
    criterion = WeightedBCEDiceLoss(dice_weight=0.5)
    model.train()
    for images, masks, weight_maps in DataLoader(dataset, batch_size=4, shuffle=True):
        images, masks, weight_maps = images.to(device), masks.to(device), weight_maps.to(device)
        logits = model(images)
        loss = criterion(logits, masks, weight_maps)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
