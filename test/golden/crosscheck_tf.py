#!/usr/bin/env python3
"""Optional: check the keras/tf golden cases against real TensorFlow.

Not used by CI and not needed to regenerate golden.json.  Run it with a Python
that has ``tensorflow-cpu`` (TF 2.x with Keras 3) installed, e.g. in a venv:

    python3 -m venv /tmp/tfvenv && /tmp/tfvenv/bin/pip install tensorflow-cpu
    /tmp/tfvenv/bin/python test/golden/crosscheck_tf.py

For every keras/tf case of golden.json it executes the fixture with the real
``tensorflow`` module.  The Keras 2 API the fixtures use (``keras.backend``
``K.sum``/``K.flatten``/... and the Keras 2 loss functions) is taken from
Keras 3's own copy of the Keras 2 backend, ``keras.src.legacy.backend``,
running on real TF ops; ``tf.keras.losses.Loss`` is Keras 3's class.  The
inputs are the ones stored in golden.json; the value and d(loss)/d(prediction)
from ``tf.GradientTape`` are compared with the stored ones.
"""

import builtins
import contextlib
import io
import json
import math
import os
import sys
import types
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras.src import backend as k3_backend  # noqa: E402
from keras.src.legacy import backend as legacy_backend  # noqa: E402
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

from shims import stubs  # noqa: E402  (pure Python: inert layers/models)

VALUE_RTOL = 1e-5
GRAD_TOL = 1e-5  # relative to the largest gradient entry


def _keras2_backend():
    m = types.ModuleType("keras.backend")
    for name in dir(legacy_backend):
        if not name.startswith("_"):
            setattr(m, name, getattr(legacy_backend, name))
    m.epsilon = k3_backend.epsilon
    m.floatx = k3_backend.floatx
    m.image_data_format = k3_backend.image_data_format
    return m


def _keras2_losses(K):
    m = types.ModuleType("keras.losses")

    def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
        y_pred = tf.convert_to_tensor(y_pred)
        y_true = tf.cast(y_true, y_pred.dtype)
        return K.mean(K.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)

    def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
        y_pred = tf.convert_to_tensor(y_pred)
        y_true = tf.cast(y_true, y_pred.dtype)
        return K.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)

    m.binary_crossentropy = binary_crossentropy
    m.categorical_crossentropy = categorical_crossentropy
    m.Loss = keras.losses.Loss
    return m


def build_table():
    K = _keras2_backend()
    losses = _keras2_losses(K)
    kmod = types.ModuleType("keras")
    kmod.backend = K
    kmod.losses = losses
    for name in ("layers", "models", "optimizers", "callbacks", "metrics"):
        setattr(kmod, name, stubs.InertModule("keras." + name))
    utils = types.ModuleType("keras.utils")
    utils.get_custom_objects = stubs.get_custom_objects
    utils.register_keras_serializable = stubs.register_keras_serializable
    kmod.utils = utils
    tfmod = types.ModuleType("tensorflow")
    for name in dir(tf):
        if not name.startswith("__"):
            try:
                setattr(tfmod, name, getattr(tf, name))
            except Exception:
                pass
    tfmod.keras = kmod
    table = {"tensorflow": tfmod, "keras": kmod, "tensorflow.keras": kmod}
    for name in ("backend", "losses", "layers", "models", "optimizers", "callbacks", "metrics", "utils"):
        table["keras." + name] = getattr(kmod, name)
        table["tensorflow.keras." + name] = getattr(kmod, name)
    return table


def load(path, table):
    real_import = builtins.__import__

    def _import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and name in table:
            return table[name] if fromlist else table[name.split(".")[0]]
        return real_import(name, globals, locals, fromlist, level)

    fb = dict(vars(builtins))
    fb["__import__"] = _import
    mod = types.ModuleType("crosscheck_fixture")
    mod.__dict__["__builtins__"] = fb
    with open(path, encoding="utf-8") as f:
        code = compile(f.read(), path, "exec")
    with contextlib.redirect_stdout(io.StringIO()):
        exec(code, mod.__dict__)
    return mod


def decode(v):
    if isinstance(v, list):
        return [decode(x) for x in v]
    if isinstance(v, str):
        return float(v)
    return v


def run_case(case, table):
    mod = load(os.path.join(ROOT, case["fixture"]), table)
    fn = eval(case["entry"], mod.__dict__)
    if isinstance(fn, type):
        fn = fn()
    pred = tf.constant(np.array(case["prediction"], dtype=np.float32))
    tdtype = np.int64 if case["targetDtype"] == "int" else np.float32
    target = tf.constant(np.array(case["target"], dtype=tdtype))
    with tf.GradientTape() as tape:
        tape.watch(pred)
        with contextlib.redirect_stdout(io.StringIO()):
            out = fn(target, pred) if case["argOrder"] == "true_pred" else fn(pred, target)
        out = tf.convert_to_tensor(out)
        if out.dtype != tf.float32:
            out = tf.cast(out, tf.float32)
        loss = tf.reduce_mean(out)
    grad = tape.gradient(loss, pred)
    return float(loss.numpy()), (None if grad is None else grad.numpy().astype(np.float64))


def compare(case, value, grad):
    problems = []
    gold = decode(case["value"])
    if math.isnan(gold) or math.isnan(value):
        if not (math.isnan(gold) and math.isnan(value)):
            problems.append(f"value {value} vs golden {gold}")
    elif math.isinf(gold) or math.isinf(value):
        if gold != value:
            problems.append(f"value {value} vs golden {gold}")
    elif abs(value - gold) > VALUE_RTOL * max(abs(gold), 1e-12):
        problems.append(f"value {value!r} vs golden {gold!r}")
    ggold = case["gradient"]
    if ggold is None or grad is None:
        if not (ggold is None and grad is None):
            problems.append(f"gradient {'None' if grad is None else 'present'} vs golden "
                            f"{'null' if ggold is None else 'present'}")
        return problems
    g = np.array(decode(ggold), dtype=np.float64)
    if g.shape != grad.shape:
        return problems + [f"gradient shape {grad.shape} vs {g.shape}"]
    same_nan = np.array_equal(np.isnan(g), np.isnan(grad))
    fin = np.isfinite(g) & np.isfinite(grad)
    same_inf = np.array_equal(np.where(np.isinf(g), np.sign(g), 0), np.where(np.isinf(grad), np.sign(grad), 0))
    if not (same_nan and same_inf):
        problems.append("non-finite gradient entries differ")
    if fin.any():
        scale = np.abs(g[fin]).max()
        worst = np.abs(g[fin] - grad[fin]).max()
        if worst > GRAD_TOL * max(scale, 1e-30):
            problems.append(f"gradient differs by {worst / scale:.2e} of its largest entry")
    return problems


def main():
    warnings.simplefilter("ignore")
    with open(os.path.join(HERE, "golden.json"), encoding="utf-8") as f:
        doc = json.load(f)
    failures = 0
    checked = 0
    for case in doc["cases"]:
        if case["framework"] not in ("keras", "tf"):
            continue
        table = build_table()
        try:
            value, grad = run_case(case, table)
            problems = compare(case, value, grad)
        except Exception as exc:  # a fixture real TF refuses is a shim bug
            problems = [f"{type(exc).__name__}: {exc}"]
        checked += 1
        status = "ok" if not problems else "MISMATCH"
        print(f"{status:8s} {case['fixture']}" + ("" if not problems else ": " + "; ".join(problems)))
        failures += bool(problems)
    print(f"{checked - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
