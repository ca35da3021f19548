"""Validation of Loss Lens's training probe against real PyTorch training.

Trains the same kind of synthetic setup as the engine's quick probe (src/engine/probe/: data.ts,
models.ts free-logits, train.ts, detect.ts) in real PyTorch, with three buggy losses from
test/validation/losses/ each next to a healthy soft Dice, and applies simplified verdict rules
mirroring detect.ts. The data are not bit-identical to the TF.js probe's (different PRNG), only the
same kind: 64x64 images, a few small blob lesions (~1 % foreground), many empty images, and in the
multi-class set classes missing from images and from whole batches.

Run:  /usr/bin/python3 test/validation/torch_probe_validation.py [--json OUT.json]
Deterministic (fixed seeds, single thread); about a minute on 2 CPU cores.
"""
import argparse
import importlib.util
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

HERE = os.path.dirname(os.path.abspath(__file__))

# Same budget as the engine's quick probe (probe.ts): free logits, Adam lr 0.3, eps 1e-12, 200 steps,
# evaluation every 10 steps on the training images, 4 batches of 4 images.
STEPS = 200
EVAL_EVERY = 10
LR = 0.3
ADAM_EPS = 1e-12
BATCH = 4
BATCHES = 4
SIZE = 64
NOISE, SHADING = 0.45, 0.3
CLASS_PRESENCE = [0.6, 0.45, 0.3]

# Thresholds copied from detect.ts.
LEARNED_DICE, LEARNING_GAIN = 0.3, 0.1
COLLAPSE_RATIO = 0.1
LOSS_DROP, FLAT_DICE_GAIN = 0.1, 0.05
MOVING_LOSS, MOVING_METRIC = 0.01, 0.02
EXPLOSION_FACTOR = 1e3


def load(path, entry):
    """The loss `entry` from a Python file (relative to the repository root)."""
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, "..", "..", path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, entry)


# ---------------------------------------------------------------------------------------------
# Data (cf. data.ts): ellipse lesions on shaded, noisy background.

def class_contrast(c):
    return (1 if c % 2 == 1 else -1) * (1 + 0.8 * ((c - 1) // 2))


def make_image(rng, fg_classes, multiclass):
    if multiclass:
        lesions = []
        for c in range(1, fg_classes + 1):
            if rng.random() < CLASS_PRESENCE[c - 1]:
                lesions += [c] * int(rng.integers(1, 3))
    else:
        lesions = [] if rng.random() < 0.4 else [1] * int(rng.integers(1, 4))
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    labels = np.zeros((SIZE, SIZE), dtype=np.int64)
    for c in lesions:
        ry, rx = rng.uniform(2, 4), rng.uniform(2, 4)
        cy, cx = rng.uniform(ry, SIZE - ry), rng.uniform(rx, SIZE - rx)
        labels[((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1] = c
    shade = np.zeros((SIZE, SIZE))
    for _ in range(2):
        fy, fx = (rng.uniform(0.5, 1.5, size=2) * 2 * math.pi / SIZE)
        shade += np.cos(yy * fy + xx * fx + rng.uniform(0, 2 * math.pi))
    contrast = np.vectorize(lambda l: class_contrast(l) if l > 0 else 0.0)(labels)
    image = SHADING * shade / 2 + contrast + NOISE * rng.standard_normal((SIZE, SIZE))
    return image.astype(np.float32), labels


def make_dataset(multiclass, seed):
    rng = np.random.default_rng(seed)
    fg_classes = 2 if multiclass else 1
    labels = [make_image(rng, fg_classes, multiclass)[1] for _ in range(BATCH * BATCHES)]
    labels = torch.from_numpy(np.stack(labels))  # (16, 64, 64)
    return labels, fg_classes + 1


# ---------------------------------------------------------------------------------------------
# Metrics (cf. metrics.ts): hard predictions, per-class Dice pooled over images, lesion FPs.

def components(mask):
    """4-connected components of a 2-D bool array, as a list of index arrays."""
    seen = np.zeros_like(mask, dtype=bool)
    found = []
    h, w = mask.shape
    for y0, x0 in zip(*np.nonzero(mask)):
        if seen[y0, x0]:
            continue
        stack, pixels = [(y0, x0)], []
        seen[y0, x0] = True
        while stack:
            y, x = stack.pop()
            pixels.append((y, x))
            for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        found.append(tuple(np.array(pixels).T))
    return found


def evaluate(hard, labels, classes, step):
    hard, labels = hard.numpy(), labels.numpy()
    voxels = labels.size
    predicted = [int((hard == c).sum()) for c in range(classes)]
    truth = [int((labels == c).sum()) for c in range(classes)]
    both = [int(((hard == c) & (labels == c)).sum()) for c in range(classes)]
    dice = [None if truth[c] + predicted[c] == 0 else 2 * both[c] / (truth[c] + predicted[c]) for c in range(classes)]
    fg = [d for d in dice[1:] if d is not None]
    fp = 0
    for n in range(labels.shape[0]):
        for c in range(1, classes):
            t = labels[n] == c
            fp += sum(1 for comp in components(hard[n] == c) if not t[comp].any())
    return {
        "step": step,
        "dicePerClass": dice,
        "foregroundDice": sum(fg) / len(fg) if fg else 1.0,
        "predictedForeground": 1 - predicted[0] / voxels,
        "trueForeground": 1 - truth[0] / voxels,
        "predictedPerClass": [p / voxels for p in predicted],
        "truePerClass": [t / voxels for t in truth],
        "falsePositives": fp,
    }


# ---------------------------------------------------------------------------------------------
# Training: free logits (one trainable logit per voxel and channel, small noise init), Adam.

def train(name, loss_fn, labels, classes, channels, head, loss_inputs, seed):
    """head: 'softmax' or 'sigmoid' (what the model ends in); loss_inputs(prediction, logits, labels) -> args."""
    g = torch.Generator().manual_seed(seed)
    n = labels.shape[0]
    logits = (0.01 * torch.randn(n, channels, SIZE, SIZE, generator=g)).requires_grad_(True)
    opt = torch.optim.Adam([logits], lr=LR, eps=ADAM_EPS)
    losses, evals = [], []
    grads = {"noGradientSteps": 0, "zeroGradientSteps": 0, "nonFiniteLossSteps": 0, "nonFiniteGradientSteps": 0, "firstNonFiniteStep": None}

    def hard():
        with torch.no_grad():
            if channels == 1:
                return (logits[:, 0] > 0).long()
            return logits.argmax(dim=1)  # NaN logits: argmax returns the NaN's index, as in real code

    for step in range(STEPS):
        if step % EVAL_EVERY == 0:
            evals.append(evaluate(hard(), labels, classes, step))
        b = step % BATCHES
        sl = slice(b * BATCH, (b + 1) * BATCH)
        lg = logits[sl]
        prediction = torch.softmax(lg, dim=1) if head == "softmax" else torch.sigmoid(lg)
        loss = loss_fn(*loss_inputs(prediction, lg, labels[sl]))
        value = float(loss.detach())
        losses.append(value if math.isfinite(value) else None)
        if not math.isfinite(value):
            grads["nonFiniteLossSteps"] += 1
        opt.zero_grad()
        if not loss.requires_grad:
            grads["noGradientSteps"] += 1
        else:
            loss.backward()
            grad = logits.grad
            if not torch.isfinite(grad).all():
                grads["nonFiniteGradientSteps"] += 1
            elif float(grad.abs().max()) == 0:
                grads["zeroGradientSteps"] += 1
            opt.step()  # as a plain training loop would: NaN gradients go into the weights
        if not math.isfinite(value) or (logits.grad is not None and not torch.isfinite(logits.grad).all()):
            if grads["firstNonFiniteStep"] is None:
                grads["firstNonFiniteStep"] = step
    final = evaluate(hard(), labels, classes, STEPS)
    evals.append(final)
    return {"name": name, "losses": losses, "evaluations": evals, "final": final, "gradient": grads, "steps": STEPS}


# ---------------------------------------------------------------------------------------------
# Verdicts (simplified detect.ts): diverged > no-learning > collapse / metric-flat, + FP flood.

def loss_trend(run):
    vals = run["losses"]
    wanted = max(5, round(0.1 * len(vals)))
    passes = max(1, min(math.ceil(wanted / BATCHES), len(vals) // 2 // BATCHES))
    window = min(passes * BATCHES, len(vals))
    mean = lambda xs: (sum(xs) / len(xs)) if xs else None
    fin = lambda xs: [x for x in xs if x is not None]
    return mean(fin(vals[:window])), mean(fin(vals[-window:]))


def learns(run):
    return run["final"]["foregroundDice"] >= LEARNED_DICE and run["final"]["foregroundDice"] - run["evaluations"][0]["foregroundDice"] >= LEARNING_GAIN


def verdicts(run, reference):
    g = run["gradient"]
    start, end = loss_trend(run)
    final, first = run["final"], run["evaluations"][0]
    if g["nonFiniteLossSteps"] + g["nonFiniteGradientSteps"] > 0:
        return ["training-diverged"]
    values = [v for v in run["losses"] if v is not None]
    if start is not None and values and max(abs(v) for v in values) >= EXPLOSION_FACTOR * max(abs(start), 1e-3):
        return ["training-diverged"]
    ref = reference if learns(reference) else None
    no_grad = g["noGradientSteps"] + g["zeroGradientSteps"] == run["steps"]
    loss_moves = start is not None and end is not None and abs(end - start) >= MOVING_LOSS * max(abs(start), 1e-8)
    metric_moves = abs(final["foregroundDice"] - first["foregroundDice"]) >= MOVING_METRIC or abs(final["predictedForeground"] - first["predictedForeground"]) >= MOVING_METRIC
    if no_grad or (not (loss_moves or metric_moves) and ref):
        return ["no-learning"]
    found = []
    if ref:
        collapsed = [c for c in range(1, len(final["truePerClass"])) if final["truePerClass"][c] > 0
                     and (ref["final"]["dicePerClass"][c] or 0) >= LEARNED_DICE
                     and final["predictedPerClass"][c] < COLLAPSE_RATIO * final["truePerClass"][c]]
        if collapsed:
            found.append("collapse-to-background")
    if not found and start is not None and end is not None:
        drop = (start - end) / max(abs(start), 1e-8)
        if drop >= LOSS_DROP and final["foregroundDice"] - first["foregroundDice"] < FLAT_DICE_GAIN and ref and ref["final"]["foregroundDice"] - final["foregroundDice"] >= 2 * LEARNED_DICE / 3:
            found.append("metric-flat")
    if ref:
        ours, theirs = final["falsePositives"], ref["final"]["falsePositives"]
        if ours >= 3 * theirs and ours - theirs >= labels_count(run):
            found.append("false-positive-flood")
    return found or ["none"]


def labels_count(run):
    return BATCH * BATCHES


# ---------------------------------------------------------------------------------------------
# Healthy reference: soft Dice over the foreground channels, per image and class, smoothed.

def soft_dice_multiclass(prob, labels, smooth=1.0):
    onehot = F.one_hot(labels, prob.shape[1]).permute(0, 3, 1, 2).float()
    inter = (prob * onehot).sum(dim=(2, 3))
    total = prob.sum(dim=(2, 3)) + onehot.sum(dim=(2, 3))
    return 1 - ((2 * inter + smooth) / (total + smooth))[:, 1:].mean()


def soft_dice_binary(prob, target, smooth=1.0):
    inter = (prob * target).sum(dim=(1, 2, 3))
    total = prob.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3))
    return 1 - ((2 * inter + smooth) / (total + smooth)).mean()


def onehot(labels, classes):
    return F.one_hot(labels, classes).permute(0, 3, 1, 2).float()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    began = time.time()
    torch.manual_seed(0)

    multi_labels, multi_classes = make_dataset(multiclass=True, seed=1)
    bin_labels, bin_classes = make_dataset(multiclass=False, seed=2)

    # Case (a) is the bundled example itself, so the validated file is the one users are shown.
    argmax_dice = load("examples/torch_argmax_dice.py", "hard_dice_loss")
    gdl = load("test/validation/losses/generalized_dice_unguarded.py", "generalized_dice_loss")
    sig_dice = load("test/validation/losses/sigmoid_on_sigmoid_dice.py", "dice_loss")

    cases = []
    # (a) argmax Dice: the loss receives the logits and sparse labels (N, H, W).
    ref_multi = train("soft Dice", soft_dice_multiclass, multi_labels, multi_classes, multi_classes, "softmax",
                      lambda p, lg, y: (p, y), seed=3)
    cases.append(("argmax-dice", train("hard_dice_loss", argmax_dice, multi_labels, multi_classes, multi_classes, "softmax",
                                       lambda p, lg, y: (lg, y), seed=3), ref_multi))
    # (b) unguarded generalized Dice: softmax probabilities and one-hot targets; classes absent from batches.
    cases.append(("generalized-dice-unguarded", train("generalized_dice_loss", gdl, multi_labels, multi_classes, multi_classes, "softmax",
                                                      lambda p, lg, y: (p, onehot(y, multi_classes)), seed=3), ref_multi))
    # (c) sigmoid on sigmoid: the model ends in a sigmoid, the loss applies sigmoid again.
    ref_bin = train("soft Dice", soft_dice_binary, bin_labels, bin_classes, 1, "sigmoid",
                    lambda p, lg, y: (p, y[:, None].float()), seed=4)
    cases.append(("sigmoid-on-sigmoid", train("dice_loss", sig_dice, bin_labels, bin_classes, 1, "sigmoid",
                                              lambda p, lg, y: (p, y[:, None].float()), seed=4), ref_bin))

    def empty_images(labels):
        return int(sum(1 for n in range(labels.shape[0]) if int((labels[n] > 0).sum()) == 0))

    absent_batches = [sum(1 for b in range(BATCHES) if int((multi_labels[b * BATCH:(b + 1) * BATCH] == c).sum()) == 0) for c in range(multi_classes)]
    print(f"PyTorch {torch.__version__}, numpy {np.__version__}; free logits, Adam lr={LR} eps={ADAM_EPS}, {STEPS} steps, {BATCHES} batches x {BATCH} images of {SIZE}x{SIZE}")
    print(f"multiclass data: foreground {100 * float((multi_labels > 0).float().mean()):.2f} %, {empty_images(multi_labels)}/16 empty images, batches missing class 1/2: {absent_batches[1]}/{absent_batches[2]} of {BATCHES}")
    print(f"binary data:     foreground {100 * float((bin_labels > 0).float().mean()):.2f} %, {empty_images(bin_labels)}/16 empty images")
    print()
    header = f"{'case':28} {'run':22} {'loss start':>10} {'loss end':>10} {'fg Dice':>8} {'pred fg %':>9} {'true fg %':>9} {'FP':>4} {'NaN steps':>9} {'no-grad':>7}  verdict"
    print(header)
    print("-" * len(header))
    out = []
    for case, run, ref in cases:
        for r, is_ref in ((run, False), (ref, True)):
            start, end = loss_trend(r)
            f = r["final"]
            v = ["(reference)"] if is_ref else verdicts(r, ref)
            fmt = lambda x: "nan" if x is None else f"{x:.4f}"
            print(f"{case:28} {r['name']:22} {fmt(start):>10} {fmt(end):>10} {f['foregroundDice']:8.4f} {100 * f['predictedForeground']:9.3f} {100 * f['trueForeground']:9.3f} {f['falsePositives']:4d} {r['gradient']['nonFiniteLossSteps']:9d} {r['gradient']['noGradientSteps']:7d}  {', '.join(v)}")
            out.append({"case": case, "run": r["name"], "reference": is_ref, "lossStart": start, "lossEnd": end,
                        "foregroundDice": f["foregroundDice"], "predictedForeground": f["predictedForeground"],
                        "trueForeground": f["trueForeground"], "falsePositives": f["falsePositives"],
                        "gradient": r["gradient"], "verdicts": v})
    print(f"\n{time.time() - began:.1f} s")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"torch": torch.__version__, "results": out}, fh, indent=1)


if __name__ == "__main__":
    sys.exit(main())
