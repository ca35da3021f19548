import torch
import torch.nn as nn


class DoubleConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.block = nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
            nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        )

    def forward(self, x):
        return self.block(x)


class UNet(nn.Module):
    def __init__(self, n_channels=3, n_classes=4):
        super().__init__()
        self.inc = DoubleConv(n_channels, 32)
        self.down = nn.Sequential(nn.MaxPool2d(2), DoubleConv(32, 64))
        self.up = nn.ConvTranspose2d(64, 32, 2, stride=2)
        self.dec = DoubleConv(64, 32)
        self.outc = nn.Conv2d(32, n_classes, 1)
        self.softmax = nn.Softmax(dim=1)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down(x1)
        x = self.dec(torch.cat([self.up(x2), x1], dim=1))
        return self.softmax(self.outc(x))
