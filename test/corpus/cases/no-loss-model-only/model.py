"""Encoder-decoder network; the losses live in another repository."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBNReLU(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SegNetLite(nn.Module):
    def __init__(self, in_channels=3, n_classes=5):
        super().__init__()
        self.enc1 = ConvBNReLU(in_channels, 32)
        self.enc2 = ConvBNReLU(32, 64)
        self.dec2 = ConvBNReLU(64, 32)
        self.classifier = nn.Conv2d(32, n_classes, 1)

    def forward(self, x):
        size = x.shape[-2:]
        x = self.enc1(x)
        x = self.enc2(F.max_pool2d(x, 2))
        x = F.interpolate(self.dec2(x), size=size, mode="bilinear", align_corners=False)
        return self.classifier(x)


def count_parameters(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
