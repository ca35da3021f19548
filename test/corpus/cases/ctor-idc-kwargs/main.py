#!/usr/bin/env python3
import argparse
from typing import Any, List, Tuple

import torch

import losses as losses_module


def parse_cli() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Hyperparams")
    parser.add_argument("--dataset", type=str, default="data/acdc")
    parser.add_argument("--n_epoch", type=int, default=100)
    parser.add_argument("--n_class", type=int, default=3)
    parser.add_argument("--losses", type=str,
                        default="[('GeneralizedDice', {'idc': [0, 1, 2]}, 1), ('DiceLoss', {'idc': [1, 2]}, 1)]",
                        help="List of (loss_name, loss_params, weight)")
    return parser.parse_args()


def setup_losses(args) -> Tuple[List[Any], List[float]]:
    spec = eval(args.losses)
    loss_fns = [getattr(losses_module, name)(**params) for name, params, _ in spec]
    loss_weights = [weight for _, _, weight in spec]
    return loss_fns, loss_weights


def train_step(net, optimizer, image, target, loss_fns, loss_weights):
    optimizer.zero_grad()
    probs = torch.softmax(net(image), dim=1)
    loss = sum(w * fn(probs, target) for fn, w in zip(loss_fns, loss_weights))
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    args = parse_cli()
    print(setup_losses(args))
