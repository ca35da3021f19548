"""Fine-tune the scene parser on the drone dataset."""
import torch
from torch.utils.data import DataLoader

from segloss import DiceLoss

EPOCHS = 40


def train(model, dataset, device="cuda"):
    loader = DataLoader(dataset, batch_size=8, shuffle=True, num_workers=4)
    criterion = DiceLoss(mode="multiclass", from_logits=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    model.to(device).train()
    for epoch in range(EPOCHS):
        running = 0.0
        for images, masks in loader:
            images, masks = images.to(device), masks.to(device).long()
            optimizer.zero_grad()
            logits = model(images)
            loss = criterion(logits, masks)
            loss.backward()
            optimizer.step()
            running += loss.item()
        print(f"epoch {epoch}: loss {running / len(loader):.4f}")
