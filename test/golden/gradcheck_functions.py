#!/usr/bin/python3
"""Write test/golden/gradcheck.json: real PyTorch's verdict on the hand-written gradients of the
torch.autograd.Function fixtures (test/diagnose/fixtures/torch_function_*.py), an example and a corpus case.

    /usr/bin/python3 test/golden/gradcheck_functions.py [--check]

Each fixture's loss module is called on a float64 prediction and a target; torch.autograd.gradcheck
compares the gradient of the loss with respect to the prediction (which runs the Function's
hand-written backward) with finite differences, on random labels and on labels without foreground.
The fixture passes when gradcheck passes on both.  The JSON also holds one float32 evaluation per
fixture: the inputs, the loss value and the gradient real torch gives through the hand-written
backward, which the interpreter must reproduce (test/engine/hand-gradients.test.mjs reads it).

``--check`` regenerates in memory and exits 1 if gradcheck.json differs.
"""

import hashlib
import importlib.util
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(HERE, "gradcheck.json")

# fixture -> the loss module, the prediction shape (N, C, H, W) and the target it takes
FIXTURES = {
    "test/diagnose/fixtures/torch_function_dice_sign.py": ("BinaryDiceLoss", (2, 1, 6, 6), "binary"),
    "test/diagnose/fixtures/torch_function_dice_unnormalised.py": ("MulticlassDiceLoss", (2, 3, 6, 6), "sparse"),
    "test/diagnose/fixtures/torch_function_dice_no_smooth.py": ("LesionDiceLoss", (2, 1, 6, 6), "binary"),
    "test/diagnose/fixtures/torch_function_dice_thresholded.py": ("ForegroundDiceLoss", (2, 1, 6, 6), "binary"),
    "test/diagnose/fixtures/torch_function_dice_clean.py": ("FusedDiceLoss", (2, 3, 6, 6), "onehot"),
    "examples/torch_dice_function_backward.py": ("LowMemoryDiceLoss", (2, 1, 6, 6), "binary"),
    "test/corpus/cases/autograd-function-correct/soft_dice_fn.py": ("FastSoftDiceLoss", (2, 1, 6, 6), "binary"),
}


def load(path):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], os.path.join(ROOT, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed_of(path):
    return int(hashlib.sha256(path.encode()).hexdigest()[:8], 16)


def target_of(kind, shape, rng, empty):
    n, c, h, w = shape
    if kind == "binary":
        if empty:
            return torch.zeros(shape, dtype=torch.float64)
        mask = (rng.rand(*shape) < 0.3).astype(np.float64)
        mask[:, :, 0, 0], mask[:, :, 0, 1] = 1.0, 0.0  # both values in every image
        return torch.from_numpy(mask)
    labels = np.zeros((n, h, w), dtype=np.int64) if empty else rng.randint(0, c, size=(n, h, w))
    if kind == "sparse":
        return torch.from_numpy(labels)
    return torch.nn.functional.one_hot(torch.from_numpy(labels), c).permute(0, 3, 1, 2).to(torch.float64)


def gradcheck(loss, prediction, target):
    x = prediction.clone().requires_grad_(True)
    return bool(torch.autograd.gradcheck(lambda p: loss(p, target), (x,), raise_exception=False))


def shortest(values):
    """float32 values as the shortest decimals that read back to them."""
    return [float(np.format_float_positional(np.float32(v), unique=True, trim="-")) for v in values]


def case(path):
    class_name, shape, kind = FIXTURES[path]
    module = load(path)
    loss = getattr(module, class_name)()
    rng = np.random.RandomState(seed_of(path))
    prediction = torch.from_numpy(rng.randn(*shape))
    checks = {name: gradcheck(loss, prediction, target_of(kind, shape, rng, empty)) for name, empty in
              [("random", False), ("empty", True)]}
    # One float32 evaluation through the hand-written backward.
    target = target_of(kind, shape, rng, False)
    x = prediction.to(torch.float32).clone().requires_grad_(True)
    value = loss(x, target.to(torch.int64 if kind == "sparse" else torch.float32))
    value.backward()
    return {
        "fixture": path,
        "entry": class_name,
        "gradcheck": all(checks.values()),
        "cases": checks,
        "prediction": {"shape": list(shape), "data": shortest(x.detach().numpy().ravel())},
        "target": {"shape": list(target.shape), "data": [float(v) for v in target.numpy().ravel()]},
        "targetDtype": "int" if kind == "sparse" else "float",
        "value": float(value.item()),
        "gradient": [float(g) for g in x.grad.numpy().ravel()],
    }


def main():
    torch.set_printoptions(precision=10)
    rows = [case(path) for path in FIXTURES]
    text = json.dumps({"generator": {"torch": torch.__version__}, "cases": rows}, indent=None)
    text = text.replace('{"fixture"', '\n{"fixture"') + "\n"
    if "--check" in sys.argv:
        with open(OUT) as f:
            if f.read() != text:
                print("gradcheck.json is stale: run /usr/bin/python3 test/golden/gradcheck_functions.py")
                sys.exit(1)
        return
    with open(OUT, "w") as f:
        f.write(text)
    for row in rows:
        print(f'{row["fixture"]}: gradcheck {"passes" if row["gradcheck"] else "fails"} {row["cases"]}')


if __name__ == "__main__":
    main()
