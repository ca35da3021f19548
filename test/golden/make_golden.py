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
CONDITIONING = {}
MIN_FIXTURES = {"torch": 12, "keras": 12, "tf": 7, "numpy": 6, "theano": 5}


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

def run_torch_like(path, rel, hdr, pred_np, target_np, framework, probe=False):
    """torch itself, or the keras/tf/theano shims.  probe=True: float64 run."""
    fdtype = torch.float64 if probe else torch.float32
    tf_core.PROBE_FLOAT64 = theano_shim.PROBE_FLOAT64 = probe
    try:
        mod, table, _ = load_fixture(path, rel, framework)
        pred = torch.tensor(pred_np.astype(np.float64), dtype=fdtype, requires_grad=True)
        target = torch.tensor(target_np)
        if target.dtype.is_floating_point:
            target = target.to(fdtype)
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
    finally:
        tf_core.PROBE_FLOAT64 = theano_shim.PROBE_FLOAT64 = False
    if framework == "theano" and kind == "none":
        # theano.grad through Argmax / comparisons / int casts / Round yields
        # zeros (their grad() returns x.zeros_like()), not an error
        kind, grad = "zero", torch.zeros_like(pred).detach()
    return value, kind, grad


def run_numpy(path, rel, hdr, pred_np, target_np, probe=False):
    """Real numpy for the value, the torch-backed shim for the gradient.

    Golden: float64 math on the float32 inputs.  probe=True: float32 math."""
    fnp = np.float32 if probe else np.float64
    fdtype = torch.float32 if probe else torch.float64
    # 1. the real numpy
    mod, _, _ = load_fixture(path, rel, "numpy")
    pred_in = pred_np.astype(fnp)
    target_in = target_np.astype(fnp) if target_np.dtype.kind == "f" else target_np.astype(np.int64)
    with _quiet():
        fn = get_entry(mod, hdr["entry"])
        result = call_loss(fn, pred_in.copy(), target_in.copy(), hdr["arg-order"])
    if isinstance(result, torch.Tensor):
        raise GoldenError("numpy fixture returned a torch tensor")
    arr = np.asarray(result, dtype=np.float64)
    value = float(arr.mean()) if arr.size != 1 else float(arr.reshape(()))

    # 2. the torch-backed shim, for the gradient
    default = torch.get_default_dtype()
    torch.set_default_dtype(fdtype)
    try:
        mod, table, _ = load_fixture(path, rel, "numpy-shim")
        pred = torch.tensor(pred_in, dtype=fdtype, requires_grad=True)
        target = torch.tensor(target_in)
        with shims_installed(table), _quiet():
            fn = get_entry(mod, hdr["entry"])
            result = call_loss(fn, pred.as_subclass(numpy_shim.ndarray),
                               target.as_subclass(numpy_shim.ndarray), hdr["arg-order"])
            scalar, shim_value = _torch_value(result)
            kind, grad = _gradient(scalar, pred)
    finally:
        torch.set_default_dtype(default)
    rtol = NUMPY_RTOL if not probe else 1e-4
    same = (math.isnan(value) and math.isnan(shim_value)) or value == shim_value or (
        math.isfinite(value) and abs(shim_value - value) <= rtol * max(abs(value), 1e-30))
    if not same:
        raise GoldenError(f"numpy shim value {shim_value!r} != real numpy value {value!r}")
    return value, kind, grad


def numpy_fd_check(path, rel, hdr, pred_np, target_np, grad, h=1e-6, tol=1e-5):
    """Central differences of the *real* numpy loss (float64) against the
    shim's autograd gradient: checks the shim's differentiable reading of the
    numpy code element by element."""
    mod, _, _ = load_fixture(path, rel, "numpy")
    x0 = pred_np.astype(np.float64)
    target = target_np.astype(np.float64) if target_np.dtype.kind == "f" else target_np.astype(np.int64)
    with _quiet():
        fn = get_entry(mod, hdr["entry"])

        def f(x):
            r = call_loss(fn, x, target.copy(), hdr["arg-order"])
            return float(np.asarray(r, dtype=np.float64).mean())

        fd = np.zeros_like(x0)
        flat = x0.reshape(-1)
        for i in range(flat.size):
            xp = flat.copy()
            xm = flat.copy()
            xp[i] += h
            xm[i] -= h
            fd.reshape(-1)[i] = (f(xp.reshape(x0.shape)) - f(xm.reshape(x0.shape))) / (2 * h)
    g = grad.to(torch.float64).numpy()
    scale = np.abs(g).max()
    worst = np.abs(fd - g).max()
    if not worst <= tol * scale + 1e-9:
        raise GoldenError(f"{rel}: numpy shim gradient differs from finite differences of the real "
                          f"numpy loss by {worst:.2e} (largest entry {scale:.2e})")


# ------------------------------------------------------------------ conditioning

VALUE_COND_TOL = 1e-5   # |float32 - float64| / |value| allowed for a golden value
GRAD_COND_TOL = 1e-4    # max |float32 - float64| / max |gradient| allowed


def _nonfinite_pattern(g):
    return torch.where(torch.isnan(g), torch.full_like(g, 2.0),
                       torch.where(torch.isinf(g), torch.sign(g), torch.zeros_like(g)))


def conditioning(value, grad, pvalue, pgrad):
    """Compare a golden result with its other-precision probe.

    Returns (problems, stats): problems make the fixture unusable at the
    interpreter's 1e-4 tolerance; stats describe the gradient noise."""
    problems = []
    stats = {}
    if math.isfinite(value) and math.isfinite(pvalue):
        rel = abs(value - pvalue) / max(abs(pvalue), 1e-12)
        stats["value_rel"] = rel
        if rel > VALUE_COND_TOL:
            problems.append(f"value changes by {rel:.1e} (relative) between float32 and float64")
    elif not (math.isnan(value) and math.isnan(pvalue)) and value != pvalue:
        problems.append(f"value {value} vs {pvalue} between float32 and float64")
    if (grad is None) != (pgrad is None):
        problems.append("gradient presence differs between float32 and float64")
    elif grad is not None:
        g, p = grad.to(torch.float64), pgrad.to(torch.float64)
        if not torch.equal(_nonfinite_pattern(g), _nonfinite_pattern(p)):
            problems.append("non-finite gradient entries differ between float32 and float64")
        fin = torch.isfinite(g) & torch.isfinite(p)
        if fin.any():
            scale = float(p[fin].abs().max())
            diff = (g[fin] - p[fin]).abs()
            worst = float(diff.max())
            stats["grad_rel_to_max"] = worst / scale if scale > 0 else 0.0
            if scale > 0 and worst > GRAD_COND_TOL * scale:
                problems.append(f"gradient changes by {worst / scale:.1e} of its largest entry "
                                "between float32 and float64")
            elem_rel = diff / torch.clamp(p[fin].abs(), min=1e-300)
            stats["grad_elems_over_1e-4"] = int((elem_rel > 1e-4).sum())
            stats["grad_elems"] = int(fin.sum())
    return problems, stats


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
            pvalue, pkind, pgrad = run_numpy(path, rel, hdr, pred_np, target_np, probe=True)
        else:
            value, kind, grad = run_torch_like(path, rel, hdr, pred_np, target_np, fw)
            pvalue, pkind, pgrad = run_torch_like(path, rel, hdr, pred_np, target_np, fw, probe=True)
    except Exception as exc:
        raise GoldenError(f"{rel}: {type(exc).__name__}: {exc}") from exc
    problems, stats = conditioning(value, grad, pvalue, pgrad)
    if pkind != kind:
        problems.append(f"gradient kind {kind} in the golden precision but {pkind} in the probe")
    CONDITIONING[rel] = stats
    if problems:
        raise GoldenError(f"{rel}: ill-conditioned: " + "; ".join(problems))
    if fw == "numpy" and kind == "flows" and math.isfinite(value):
        numpy_fd_check(path, rel, hdr, pred_np, target_np, grad)
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
    counts = {}
    for c in cases:
        counts[c["framework"]] = counts.get(c["framework"], 0) + 1
    for fw, n in MIN_FIXTURES.items():
        if counts.get(fw, 0) < n:
            errors.append(f"corpus: {counts.get(fw, 0)} {fw} fixtures, at least {n} wanted")
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
    if "--verbose" in argv:
        for rel, st in sorted(CONDITIONING.items()):
            print(f"  {rel:58s} value {st.get('value_rel', float('nan')):.1e}  "
                  f"grad/max {st.get('grad_rel_to_max', float('nan')):.1e}  "
                  f"elems>1e-4 {st.get('grad_elems_over_1e-4', '-')}/{st.get('grad_elems', '-')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
