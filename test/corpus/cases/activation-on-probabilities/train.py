import torch
from torch import optim

from losses import DiceLoss
from models.unet import UNet


def train(loader, epochs=30, device="cuda"):
    model = UNet(n_channels=3, n_classes=4).to(device)
    criterion = DiceLoss()
    optimizer = optim.RMSprop(model.parameters(), lr=1e-5, weight_decay=1e-8, momentum=0.9)
    for epoch in range(epochs):
        for images, masks in loader:
            images = images.to(device, torch.float32)
            masks = masks.to(device, torch.long)
            loss = criterion(model(images), masks)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
