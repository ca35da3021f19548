"""Train the organ segmenter on 2-D CT slices."""
import argparse
import logging
import random
import sys

import numpy as np
import torch
import torch.optim as optim
from torch.nn import CrossEntropyLoss

from utils import DiceLoss

parser = argparse.ArgumentParser(description="organ segmentation training")
parser.add_argument("--data_dir", type=str, default="data/ct_slices", help="folder of .npz slices")
parser.add_argument("--num_classes", type=int, default=4, help="background + 3 organs")
parser.add_argument("--epochs", type=int, default=120)
parser.add_argument("--batch_size", type=int, default=16)
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--seed", type=int, default=2024)
args = parser.parse_args()


def train(args, model, loader):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    n_cls = args.num_classes
    ce_loss = CrossEntropyLoss()
    dice_criterion = DiceLoss(n_cls)
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=1e-4)
    step = 0
    for epoch in range(args.epochs):
        for batch in loader:
            images, labels = batch["image"], batch["label"]
            logits = model(images)
            loss_ce = ce_loss(logits, labels.long())
            loss_dice = dice_criterion(logits, labels, softmax=True)
            loss = 0.4 * loss_ce + 0.6 * loss_dice
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            logging.info("step %d: loss %.4f (ce %.4f)", step, loss.item(), loss_ce.item())


if __name__ == "__main__":
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    sys.exit(0)
