import torch

from losses.dice import SoftDice


class Trainer:
    def __init__(self, model, train_loader, lr=1e-3, device="cuda"):
        self.model = model.to(device)
        self.loader = train_loader
        self.device = device
        self.criterion = SoftDice()
        self.optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    def train_epoch(self):
        self.model.train()
        total = 0.0
        for image, mask in self.loader:
            image, mask = image.to(self.device), mask.to(self.device)
            out = self.model(image)
            loss = self.criterion(out, mask)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            total += loss.item()
        return total / len(self.loader)
