"""A minimal loop: the model output joins the batch dict before the objective reads it."""
from objectives import bce_dice_loss


def train_epoch(model, loader, optimiser):
    for batch in loader:
        optimiser.zero_grad()
        batch['pred'] = model(batch['image'])
        loss = bce_dice_loss(batch)
        loss.backward()
        optimiser.step()
