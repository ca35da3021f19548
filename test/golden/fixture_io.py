"""Fixture header parsing and deterministic input generation.

Every fixture under test/fixtures/<framework>/<name>.py starts with a block of
``# key: value`` comment lines (see test/golden/README.md).  This module parses
that block, checks it strictly, and builds the prediction/target inputs the
header describes.  Inputs depend only on the header and on the fixture path
(relative to the repository root, with forward slashes), so re-running the
generator gives the same bytes.
"""

import hashlib
import re

import numpy as np

REQUIRED_KEYS = (
    "fixture",
    "entry",
    "framework",
    "arg-order",
    "shape",
    "class-axis",
    "prediction",
    "target",
    "target-dtype",
    "gradient",
)
OPTIONAL_KEYS = ("absent-classes",)

FRAMEWORKS = ("keras", "tf", "torch", "numpy", "theano")
ARG_ORDERS = ("true_pred", "pred_true")
PREDICTIONS = ("softmax", "sigmoid", "logits")
TARGETS = ("onehot", "sparse", "sparse-channel", "binary")
TARGET_DTYPES = ("float", "int")
GRADIENTS = ("flows", "none", "zero")
MAX_ELEMENTS = 1024

_HEADER_LINE = re.compile(r"^#\s*([a-z][a-z-]*)\s*:\s*(.*?)\s*$")


class HeaderError(ValueError):
    pass


def parse_header(text, path="<fixture>"):
    """Return the header as a dict of raw strings plus parsed helpers."""
    raw = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER_LINE.match(line)
        if not m:
            raise HeaderError(f"{path}: malformed header line {line!r}")
        key, value = m.group(1), m.group(2)
        if key in raw:
            raise HeaderError(f"{path}: duplicate header key {key!r}")
        if key not in REQUIRED_KEYS and key not in OPTIONAL_KEYS:
            raise HeaderError(f"{path}: unknown header key {key!r}")
        raw[key] = value
    missing = [k for k in REQUIRED_KEYS if k not in raw]
    if missing:
        raise HeaderError(f"{path}: missing header keys {missing}")

    def choice(key, allowed):
        if raw[key] not in allowed:
            raise HeaderError(f"{path}: {key} must be one of {allowed}, got {raw[key]!r}")
        return raw[key]

    hdr = dict(raw)
    hdr["framework"] = choice("framework", FRAMEWORKS)
    hdr["arg-order"] = choice("arg-order", ARG_ORDERS)
    hdr["prediction"] = choice("prediction", PREDICTIONS)
    hdr["target"] = choice("target", TARGETS)
    hdr["target-dtype"] = choice("target-dtype", TARGET_DTYPES)
    hdr["gradient"] = choice("gradient", GRADIENTS)
    try:
        shape = tuple(int(s) for s in raw["shape"].split(","))
    except ValueError:
        raise HeaderError(f"{path}: bad shape {raw['shape']!r}")
    if len(shape) < 2 or any(s <= 0 for s in shape):
        raise HeaderError(f"{path}: bad shape {raw['shape']!r}")
    if int(np.prod(shape)) > MAX_ELEMENTS:
        raise HeaderError(f"{path}: shape {shape} has more than {MAX_ELEMENTS} elements")
    hdr["shape"] = shape
    try:
        axis = int(raw["class-axis"])
    except ValueError:
        raise HeaderError(f"{path}: bad class-axis {raw['class-axis']!r}")
    if axis not in (-1, 1):
        raise HeaderError(f"{path}: class-axis must be -1 or 1")
    hdr["class-axis"] = axis % len(shape)
    n_classes = shape[hdr["class-axis"]]
    hdr["n-classes"] = n_classes
    absent = []
    if raw.get("absent-classes", "").strip():
        try:
            absent = sorted({int(s) for s in raw["absent-classes"].split(",")})
        except ValueError:
            raise HeaderError(f"{path}: bad absent-classes {raw['absent-classes']!r}")
    for c in absent:
        if not 0 <= c < n_classes:
            raise HeaderError(f"{path}: absent class {c} out of range for {n_classes} classes")
    if hdr["target"] != "binary" and len(absent) >= n_classes:
        raise HeaderError(f"{path}: every class is absent")
    hdr["absent-classes"] = absent
    if hdr["target"] in ("sparse", "sparse-channel") and n_classes < 2:
        raise HeaderError(f"{path}: sparse targets need at least 2 classes")
    if hdr["target"] in ("onehot", "binary") and hdr["target-dtype"] == "int":
        # allowed (int one-hot masks exist), nothing to check
        pass
    return hdr


def fixture_seed(rel_path):
    """Seed from the fixture path (repository-relative, forward slashes)."""
    digest = hashlib.sha256(rel_path.encode("utf-8")).hexdigest()
    return int(digest[:8], 16)


def _softmax(z, axis):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def make_inputs(hdr, rel_path):
    """Return (prediction float32 ndarray, target ndarray float32|int64)."""
    rng = np.random.RandomState(fixture_seed(rel_path))
    shape = hdr["shape"]
    axis = hdr["class-axis"]
    n_classes = hdr["n-classes"]
    absent = hdr["absent-classes"]

    z = rng.standard_normal(shape)
    kind = hdr["prediction"]
    if kind == "softmax":
        pred = _softmax(z, axis)
    elif kind == "sigmoid":
        pred = 1.0 / (1.0 + np.exp(-z))
    else:
        pred = z * 2.0
    pred = pred.astype(np.float32)

    tkind = hdr["target"]
    if tkind == "binary":
        target = rng.randint(0, 2, size=shape).astype(np.int64)
        moved = np.moveaxis(target, axis, -1)  # view: (..., C)
        # every present channel gets at least one positive and one negative
        # pixel in every batch item, absent channels are all zero
        groups = [moved[b] for b in range(shape[0])] if moved.ndim > 2 else [moved]
        for g in groups:
            for c in range(n_classes):
                chan = g[..., c]
                if c in absent:
                    chan[...] = 0
                    continue
                flat = chan.reshape(-1)
                if flat.size > 1:
                    if flat.sum() == 0:
                        chan.flat[rng.randint(flat.size)] = 1
                    if flat.sum() == flat.size:
                        chan.flat[rng.randint(flat.size)] = 0
        target = np.ascontiguousarray(target)
    else:
        present = [c for c in range(n_classes) if c not in absent]
        label_shape = shape[:axis] + shape[axis + 1:]
        labels = rng.choice(present, size=label_shape).astype(np.int64)
        # every present class appears in every batch item (whole map when the
        # prediction is 2-D: rows are pixels then, not images)
        groups = [labels[b] for b in range(label_shape[0])] if len(label_shape) > 1 else [labels]
        for g in groups:
            flat = g.reshape(-1)
            for c in present:
                if not (flat == c).any():
                    # overwrite a pixel whose class still occurs more than once
                    while True:
                        i = rng.randint(flat.size)
                        if (flat == flat[i]).sum() > 1:
                            break
                    g.flat[i] = c
        if tkind == "onehot":
            target = np.moveaxis(np.eye(n_classes, dtype=np.int64)[labels], -1, axis)
        elif tkind == "sparse-channel":
            target = np.expand_dims(labels, axis)
        else:
            target = labels
        target = np.ascontiguousarray(target)
    if hdr["target-dtype"] == "float":
        target = target.astype(np.float32)
    else:
        target = target.astype(np.int64)
    return pred, target
