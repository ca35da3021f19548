#!/usr/bin/python3
"""Generate test/golden/golden.json from the fixture corpus.

    /usr/bin/python3 test/golden/make_golden.py [--check]

For every test/fixtures/<framework>/<name>.py the header (see README.md) says
how to build the inputs and how to call the loss.  The fixture file itself is
executed:

* torch:  with the real torch (Debian python3-torch 1.13); the prediction is a
  float32 leaf tensor with requires_grad=True, int targets are int64.
* keras / tf / theano:  with torch-backed shims of those frameworks
  (test/golden/shims/) in place of the real modules.
* numpy:  with the real numpy for the value (float64 copies of the float32
  inputs), then again with the torch-backed numpy shim for the gradient; the
  two values must agree to 1e-5 relative.

The loss is called in the header's argument order; a non-scalar result is
averaged.  The gradient is d(loss)/d(prediction) from torch autograd, or null
when the result has no gradient path to the prediction.  The generator fails
when the measured gradient kind (flows / none / zero) differs from the
fixture's ``gradient:`` header.

``--check`` regenerates in memory and exits non-zero if golden.json differs.
"""

import builtins
import contextlib
import glob
import io
import json
import math
import os
import sys
import types
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402  (the real numpy, kept for the generator itself)
import torch  # noqa: E402

import fixture_io  # noqa: E402
from shims import numpy_shim, tf_core, tf_modules, theano_shim  # noqa: E402

OUT = os.path.join(HERE, "golden.json")
FIXTURES = os.path.join(ROOT, "test", "fixtures")
NUMPY_RTOL = 1e-5


class GoldenError(RuntimeError):
    pass


# ------------------------------------------------------------------ loading

def _shim_table(framework):
    """Module-name -> module for the imports a fixture of this framework gets."""
    if framework in ("keras", "tf"):
        return tf_modules.build()
    if framework == "theano":
        return theano_shim.build()
    if framework == "numpy-shim":
        return {"numpy": numpy_shim}
    return {}


_SHIMMED_ROOTS = ("tensorflow", "keras", "theano")


def _make_import(table):
    real_import = builtins.__import__

    def _import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0:
            root = name.split(".")[0]
            if name in table:
                return table[name] if fromlist else table[root]
            if root in table or root in _SHIMMED_ROOTS:
                raise ImportError(f"golden shim: no module named {name!r}")
        return real_import(name, globals, locals, fromlist, level)

    return _import


def load_fixture(path, rel, framework):
    """Execute the fixture file as a fresh module; return its namespace."""
    with open(path, encoding="utf-8") as f:
        source = f.read()
    table = _shim_table(framework)
    fbuiltins = dict(vars(builtins))
    fbuiltins["__import__"] = _make_import(table)
    modname = "golden_fixture_" + rel.replace("/", "_").replace(".", "_").replace("-", "_")
    mod = types.ModuleType(modname)
    mod.__file__ = path
    mod.__dict__["__builtins__"] = fbuiltins
    saved = {k: sys.modules.get(k) for k in table}
    sys.modules.update(table)  # shims stand in sys.modules while the fixture runs
    sys.modules[modname] = mod
    try:
        code = compile(source, path, "exec")
        with contextlib.redirect_stdout(io.StringIO()):
            exec(code, mod.__dict__)
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v
    return mod, table, saved


@contextlib.contextmanager
def shims_installed(table):
    saved = {k: sys.modules.get(k) for k in table}
    sys.modules.update(table)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v


def get_entry(mod, entry):
    obj = eval(entry, mod.__dict__)
    if isinstance(obj, type):
        obj = obj()
    if not callable(obj):
        raise GoldenError(f"entry {entry!r} is not callable")
    return obj


def call_loss(fn, pred, target, arg_order):
    with contextlib.redirect_stdout(io.StringIO()):
        if arg_order == "true_pred":
            return fn(target, pred)
        return fn(pred, target)


# ------------------------------------------------------------------ results

def _encode(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    if isinstance(v, list):
        return [_encode(x) for x in v]
    return v


def _torch_value(result):
    """Mean-reduce a torch result; return (scalar tensor or None, float)."""
    if isinstance(result, torch.Tensor):
        r = result.as_subclass(torch.Tensor)
        if r.dtype == torch.bool or not (r.dtype.is_floating_point):
            r = r.to(torch.float64)
        if r.numel() != 1:
            r = r.mean()
        else:
            r = r.reshape(())
        return r, float(r.detach())
    if isinstance(result, (float, int, np.floating, np.integer)):
        return None, float(result)
    raise GoldenError(f"loss returned {type(result).__name__}, not a tensor or number")


def _gradient(scalar, leaf):
    """Return (kind, gradient tensor or None)."""
    if scalar is None or not scalar.requires_grad:
        return "none", None
    (g,) = torch.autograd.grad(scalar, leaf, allow_unused=True)
    if g is None:
        return "none", None
    g = g.as_subclass(torch.Tensor).detach()
    if bool((g == 0).all()):
        return "zero", g
    return "flows", g


def _quiet():
    stack = contextlib.ExitStack()
    stack.enter_context(warnings.catch_warnings())
    warnings.simplefilter("ignore")
    stack.enter_context(np.errstate(all="ignore"))
    return stack


# ------------------------------------------------------------------ runners

def run_torch_like(path, rel, hdr, pred_np, target_np, framework):
    mod, table, _ = load_fixture(path, rel, framework)
    pred = torch.tensor(pred_np, dtype=torch.float32, requires_grad=True)
    target = torch.tensor(target_np)
    if framework in ("keras", "tf"):
        p_in, t_in = pred.as_subclass(tf_core.Tensor), target.as_subclass(tf_core.Tensor)
    elif framework == "theano":
        p_in = pred.as_subclass(theano_shim.TensorVariable)
        t_in = target.as_subclass(theano_shim.TensorVariable)
    else:
        p_in, t_in = pred, target
    with shims_installed(table), _quiet():
        fn = get_entry(mod, hdr["entry"])
        result = call_loss(fn, p_in, t_in, hdr["arg-order"])
        scalar, value = _torch_value(result)
        kind, grad = _gradient(scalar, pred)
    if framework == "theano" and kind == "none":
        # theano.grad through Argmax / comparisons / int casts / Round yields
        # zeros (their grad() returns x.zeros_like()), not an error
        kind, grad = "zero", torch.zeros_like(pred)
    if grad is not None:
        if not torch.isfinite(pred.detach()).all():
            raise GoldenError("non-finite prediction")
    return value, kind, grad


def run_numpy(path, rel, hdr, pred_np, target_np):
    # 1. the real numpy, float64 math on the float32 inputs
    mod, _, _ = load_fixture(path, rel, "numpy")
    pred64 = pred_np.astype(np.float64)
    target64 = target_np.astype(np.float64) if target_np.dtype.kind == "f" else target_np.astype(np.int64)
    with _quiet():
        fn = get_entry(mod, hdr["entry"])
        result = call_loss(fn, pred64.copy(), target64.copy(), hdr["arg-order"])
    if isinstance(result, torch.Tensor):
        raise GoldenError("numpy fixture returned a torch tensor")
    arr = np.asarray(result, dtype=np.float64)
    value = float(arr.mean()) if arr.size != 1 else float(arr.reshape(()))

    # 2. the torch-backed shim, for the gradient
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        mod, table, _ = load_fixture(path, rel, "numpy-shim")
        pred = torch.tensor(pred64, dtype=torch.float64, requires_grad=True)
        target = torch.tensor(target64)
        with shims_installed(table), _quiet():
            fn = get_entry(mod, hdr["entry"])
            result = call_loss(fn, pred.as_subclass(numpy_shim.ndarray),
                               target.as_subclass(numpy_shim.ndarray), hdr["arg-order"])
            scalar, shim_value = _torch_value(result)
            kind, grad = _gradient(scalar, pred)
    finally:
        torch.set_default_dtype(default)
    same = (math.isnan(value) and math.isnan(shim_value)) or value == shim_value or (
        math.isfinite(value) and abs(shim_value - value) <= NUMPY_RTOL * max(abs(value), 1e-30))
    if not same:
        raise GoldenError(f"numpy shim value {shim_value!r} != real numpy value {value!r}")
    return value, kind, grad


def make_case(path):
    rel = os.path.relpath(path, ROOT).replace(os.sep, "/")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    hdr = fixture_io.parse_header(text, rel)
    folder = rel.split("/")[-2]
    if folder != hdr["framework"]:
        raise GoldenError(f"{rel}: in folder {folder!r} but framework is {hdr['framework']!r}")
    pred_np, target_np = fixture_io.make_inputs(hdr, rel)
    fw = hdr["framework"]
    try:
        if fw == "numpy":
            value, kind, grad = run_numpy(path, rel, hdr, pred_np, target_np)
        else:
            value, kind, grad = run_torch_like(path, rel, hdr, pred_np, target_np, fw)
    except Exception as exc:
        raise GoldenError(f"{rel}: {type(exc).__name__}: {exc}") from exc
    if kind != hdr["gradient"]:
        raise GoldenError(f"{rel}: header says gradient: {hdr['gradient']} but "
                          f"{'the shim' if fw != 'torch' else 'torch'} gives {kind}")
    if grad is not None and tuple(grad.shape) != tuple(pred_np.shape):
        raise GoldenError(f"{rel}: gradient shape {tuple(grad.shape)} != prediction shape")
    return {
        "fixture": rel,
        "entry": hdr["entry"],
        "framework": fw,
        "argOrder": hdr["arg-order"],
        "prediction": _encode(pred_np.astype(np.float64).tolist()),
        "target": _encode(target_np.tolist() if hdr["target-dtype"] == "int"
                          else target_np.astype(np.float64).tolist()),
        "targetDtype": hdr["target-dtype"],
        "value": _encode(value),
        "gradient": None if grad is None else _encode(grad.to(torch.float64).tolist()),
    }


def generate():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    paths = sorted(glob.glob(os.path.join(FIXTURES, "*", "*.py")))
    if not paths:
        raise GoldenError(f"no fixtures under {FIXTURES}")
    cases = []
    errors = []
    for p in paths:
        try:
            cases.append(make_case(p))
        except GoldenError as exc:
            errors.append(str(exc))
    if errors:
        raise GoldenError("\n".join(["golden generation failed:"] + errors))
    return {
        "generator": {"torch": torch.__version__, "numpy": np.__version__},
        "cases": cases,
    }


def dumps(doc):
    """One case per line: valid JSON that still diffs line by line."""
    head = json.dumps(doc["generator"], sort_keys=True)
    lines = [json.dumps(c, separators=(",", ":"), allow_nan=False) for c in doc["cases"]]
    return '{"generator": ' + head + ', "cases": [\n' + ",\n".join(lines) + "\n]}\n"


def main(argv):
    try:
        doc = generate()
    except GoldenError as exc:
        print(exc, file=sys.stderr)
        return 1
    text = dumps(doc)
    if "--check" in argv:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                print("golden.json is out of date: run /usr/bin/python3 test/golden/make_golden.py",
                      file=sys.stderr)
                return 1
        print(f"golden.json up to date ({len(doc['cases'])} cases)")
        return 0
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    counts = {}
    for c in doc["cases"]:
        counts[c["framework"]] = counts.get(c["framework"], 0) + 1
    print(f"wrote {os.path.relpath(OUT, ROOT)}: {len(doc['cases'])} cases {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
