import torch
import torch.nn.functional as F

from overlap import overlap_loss


def step(model, images, masks, optimiser):
    logits = model(images)
    loss = F.binary_cross_entropy_with_logits(logits.squeeze(1), masks.float())
    loss = loss + overlap_loss(torch.sigmoid(logits.squeeze(1)), masks.float())
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    return loss.item()
