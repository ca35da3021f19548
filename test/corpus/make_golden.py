#!/usr/bin/python3
"""Golden values for the real-code corpus (test/corpus/cases/*).

    /usr/bin/python3 test/corpus/make_golden.py            # writes test/corpus/golden.json
    /usr/bin/python3 test/corpus/make_golden.py --check    # exit 1 if golden.json is stale
    /usr/bin/python3 test/corpus/make_golden.py --verbose  # also print float32-vs-float64 noise
    /usr/bin/python3 test/corpus/make_golden.py --case NAME [--case NAME ...]   # only these (no write)

Every case of manifest.json is a small project.  The generator imports the
case's file the way Python would when the project is used: the project root
(and, for a file outside any package, the file's own folder) on sys.path,
the working directory at the project root, a file inside packages imported
by its dotted name so relative imports resolve.  Nothing is rewritten.

* torch cases run on the real PyTorch 1.13, numpy and scipy of /usr/bin/python3.
* keras / tf / theano cases run on the torch-backed shims of test/golden/shims
  (same semantics and conventions as test/golden/make_golden.py); a case with
  "tfVersion": 1 gets the TensorFlow 1.x names it uses on top of them.
* numpy cases: the value from the real numpy (float64 on the float32 inputs),
  the gradient from the numpy shim, checked against central differences.
* Third-party packages that are not installed (the case's "stubs") are
  replaced by minimal stand-ins defined below, in sys.modules, only while the
  case runs.  Stand-ins for values that must never reach a loss raise
  StubUsed when touched.

For every loss whose expectation is "analysed" the generator builds seeded
inputs from its manifest "inputs" (fixture_io.make_inputs with the seed of
"<root>/<file>::<loss>"), calls the loss in its contract's argument order
(plus "callKwargs" and "extra" tensors; a loss with "dictInput" gets one dict
holding the prediction and the labels under those keys), and records the value (mean of a
non-scalar result) and d(value)/d(prediction), or null without a gradient
path.  It also checks the manifest against real Python: files that must be
refused fail to compile with the stated error and line, every other file
imports, "needs-arguments" callables fail without arguments (with "dictKeys":
refuse two tensors and read exactly those keys of their one dict), and "error"
losses that name a stubbed import do reach it.  A loss whose spec says
"raises" must raise that error as it is; its values are then recorded with
Tensor.numpy() reading a tensor that requires grad as .detach().numpy().
"""

import builtins
import contextlib
import enum
import io
import json
import math
import os
import sys
import types
import warnings

sys.dont_write_bytecode = True  # no __pycache__ inside the cases

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
GOLDEN_DIR = os.path.join(ROOT, "test", "golden")
sys.path.insert(0, GOLDEN_DIR)

import numpy as np  # noqa: E402  (the real numpy)
import torch  # noqa: E402

import importlib.util  # noqa: E402

import fixture_io  # noqa: E402

# test/golden/make_golden.py under another name (this file has the same name)
_spec = importlib.util.spec_from_file_location("fixture_make_golden", os.path.join(GOLDEN_DIR, "make_golden.py"))
base = importlib.util.module_from_spec(_spec)  # encoding, gradient and conditioning helpers
_spec.loader.exec_module(base)
from shims import numpy_shim, stubs as shim_stubs, tf_core, tf_modules, theano_shim  # noqa: E402

MANIFEST = os.path.join(HERE, "manifest.json")
OUT = os.path.join(HERE, "golden.json")
CONDITIONING = {}
PROBE_NOTES = {}

GoldenError = base.GoldenError

# Keras History objects are subscripted in training scripts (history.history['loss']).
shim_stubs.Inert.__getitem__ = lambda self, key: shim_stubs.Inert()


# ------------------------------------------------------------------ stand-ins for uninstalled packages

class StubUsed(RuntimeError):
    """A value from an uninstalled package that must not be used was used."""


class _Inert:
    """Accepts anything; for plotting and network-building libraries."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return _Inert()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Inert()

    def __getitem__(self, key):
        return _Inert()

    def __iter__(self):
        return iter(())


class _InertModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Inert


class _OpaqueModule(types.ModuleType):
    """Importable, but any attribute not set explicitly raises StubUsed."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise StubUsed(f"{self.__name__}.{name} (uninstalled package) was used")


def _package(name, cls=types.ModuleType, **attrs):
    m = cls(name)
    m.__path__ = []  # a package, so submodules import
    for k, v in attrs.items():
        setattr(m, k, v)
    return m


def _stub_mmseg():
    class Registry:
        def __init__(self, name):
            self.name = name
            self.module_dict = {}

        def register_module(self, name=None, force=False, module=None):
            def deco(cls):
                self.module_dict[name or cls.__name__] = cls
                return cls
            return deco if module is None else deco(module)

    registry = _package("mmseg.registry", MODELS=Registry("model"))
    return {"mmseg": _package("mmseg", registry=registry), "mmseg.registry": registry}


def _stub_mmengine():
    class BaseModule(torch.nn.Module):
        def __init__(self, init_cfg=None):
            super().__init__()
            self.init_cfg = init_cfg

    model = _package("mmengine.model", BaseModule=BaseModule)
    return {"mmengine": _package("mmengine", model=model), "mmengine.model": model}


def _stub_jaxtyping():
    class _Annotation:
        def __getitem__(self, item):
            return torch.Tensor

    return {"jaxtyping": _package("jaxtyping", Float=_Annotation(), Int=_Annotation(), Bool=_Annotation())}


def _stub_torchmetrics():
    def _check_same_shape(preds, target):
        if preds.shape != target.shape:
            raise RuntimeError(f"Predictions and targets are expected to have the same shape, "
                               f"but got {preds.shape} and {target.shape}.")

    checks = _package("torchmetrics.utilities.checks", _check_same_shape=_check_same_shape)
    utilities = _package("torchmetrics.utilities", checks=checks)
    return {"torchmetrics": _package("torchmetrics", utilities=utilities),
            "torchmetrics.utilities": utilities, "torchmetrics.utilities.checks": checks}


def _stub_loguru():
    class _Logger:
        def _log(self, *args, **kwargs):
            return None

        debug = info = warning = error = success = trace = exception = _log

    return {"loguru": _package("loguru", logger=_Logger())}


def _stub_monai():
    class StrEnum(str, enum.Enum):
        def __str__(self):
            return self.value

    class LossReduction(StrEnum):
        NONE = "none"
        MEAN = "mean"
        SUM = "sum"

    def look_up_option(opt_str, supported, default="no_default", print_all_options=True):
        if isinstance(supported, enum.EnumMeta):
            if isinstance(opt_str, supported):
                return opt_str
            try:
                return supported(opt_str)
            except ValueError:
                pass
        elif isinstance(supported, dict):
            if opt_str in supported:
                return supported[opt_str]
        elif opt_str in supported:
            return opt_str
        if default != "no_default":
            return default
        raise ValueError(f"Unsupported option '{opt_str}', available options are {list(supported)}.")

    utils = _package("monai.utils", LossReduction=LossReduction, look_up_option=look_up_option, StrEnum=StrEnum)
    return {"monai": _package("monai", utils=utils), "monai.utils": utils}


def _stub_kornia():
    def KORNIA_CHECK(condition, msg=None, raises=True):
        if not condition:
            if raises:
                raise Exception(f"{condition} not true.\n{msg}")
            return False
        return True

    def KORNIA_CHECK_IS_TENSOR(x, msg=None, raises=True):
        if not isinstance(x, torch.Tensor):
            if raises:
                raise TypeError(f"Not a Tensor type. Got: {type(x)}.\n{msg}")
            return False
        return True

    def KORNIA_CHECK_SHAPE(x, shape, msg=None, raises=True):
        if shape[0] == "*":
            expected, got = shape[1:], x.shape[-len(shape) + 1:]
        elif shape[-1] == "*":
            expected, got = shape[:-1], x.shape[:len(shape) - 1]
        else:
            expected, got = shape, x.shape
        ok = len(expected) == len(got) and all(
            not e.isdigit() or int(e) == g for e, g in zip(expected, got))
        if not ok and raises:
            raise TypeError(f"{x} shape must be [{shape}]. Got {x.shape}")
        return ok

    check = _package("kornia.core.check", KORNIA_CHECK=KORNIA_CHECK,
                     KORNIA_CHECK_IS_TENSOR=KORNIA_CHECK_IS_TENSOR, KORNIA_CHECK_SHAPE=KORNIA_CHECK_SHAPE)
    core = _package("kornia.core", check=check)
    return {"kornia": _package("kornia", core=core), "kornia.core": core, "kornia.core.check": check}


def _stub_cv2_model():
    """Working stand-ins for the OpenCV functions the cases call, written from OpenCV's documentation
    (OpenCV is not installed): getStructuringElement's rectangle, cross and ellipse, and erode/dilate
    as the minimum/maximum over the kernel's non-zero elements around the anchor, pixels outside the
    image ignored (OpenCV's default border). Any other name raises StubUsed."""

    def getStructuringElement(shape, ksize, anchor=(-1, -1)):
        width, height = ksize
        ax = width // 2 if anchor[0] == -1 else anchor[0]
        ay = height // 2 if anchor[1] == -1 else anchor[1]
        if (width, height) == (1, 1):
            shape = 0
        r, c = height // 2, width // 2
        element = np.zeros((height, width), dtype=np.uint8)
        for i in range(height):
            if shape == 0 or (shape == 1 and i == ay):
                element[i, :] = 1
            elif shape == 1:
                element[i, ax] = 1
            elif abs(i - r) <= r:
                # half-width c·sqrt(1 - dy²/r²), rounded half to even as cvRound does
                dx = int(np.rint(c * math.sqrt((r * r - (i - r) ** 2) * (1.0 / (r * r) if r else 0.0))))
                element[i, max(c - dx, 0):min(c + dx + 1, width)] = 1
        return element

    def _morph(src, kernel, anchor, iterations, pick, border):
        kernel = np.asarray(kernel)
        kh, kw = kernel.shape
        ax = kw // 2 if anchor[0] == -1 else anchor[0]
        ay = kh // 2 if anchor[1] == -1 else anchor[1]
        out = np.asarray(src)
        for _ in range(iterations):
            h, w = out.shape
            padded = np.full((h + kh - 1, w + kw - 1), border, dtype=np.float64)
            padded[ay:ay + h, ax:ax + w] = out
            windows = [padded[i:i + h, j:j + w] for i in range(kh) for j in range(kw) if kernel[i, j]]
            out = pick(np.stack(windows), axis=0).astype(src.dtype)
        return out

    def _bound(dtype, top):
        if dtype == np.uint8:
            return 255 if top else 0
        return np.finfo(np.float32).max * (1 if top else -1)

    def erode(src, kernel, anchor=(-1, -1), iterations=1):
        return _morph(src, kernel, anchor, iterations, np.min, _bound(src.dtype, True))

    def dilate(src, kernel, anchor=(-1, -1), iterations=1):
        return _morph(src, kernel, anchor, iterations, np.max, _bound(src.dtype, False))

    cv2 = _package("cv2", _OpaqueModule, MORPH_RECT=0, MORPH_CROSS=1, MORPH_ELLIPSE=2,
                   getStructuringElement=getStructuringElement, erode=erode, dilate=dilate)
    return {"cv2": cv2}


def _stub_opaque(name, *children):
    mods = {name: _package(name, _OpaqueModule)}
    for child in children:
        full = f"{name}.{child}"
        mods[full] = _package(full, _OpaqueModule)
        setattr(mods[name], child, mods[full])
    return mods


def _stub_inert(name, *children):
    mods = {name: _package(name, _InertModule)}
    for child in children:
        full = f"{name}.{child}"
        mods[full] = _package(full, _InertModule)
        setattr(mods[name], child, mods[full])
    return mods


STUBS = {
    "mmseg": _stub_mmseg,
    "mmengine": _stub_mmengine,
    "jaxtyping": _stub_jaxtyping,
    "torchmetrics": _stub_torchmetrics,
    "loguru": _stub_loguru,
    "monai": _stub_monai,
    "kornia": _stub_kornia,
    "fused_focal_cuda": lambda: _stub_opaque("fused_focal_cuda"),
    "cv2": lambda: _stub_opaque("cv2"),
    "cv2-model": _stub_cv2_model,
    "medpy": lambda: _stub_opaque("medpy", "metric"),
    "matplotlib": lambda: _stub_inert("matplotlib", "pyplot"),
    "lasagne": lambda: _stub_inert("lasagne", "layers", "nonlinearities", "updates", "objectives"),
    "get_ipython": lambda: {},  # a builtin in IPython, see project_env
}


# ------------------------------------------------------------------ TensorFlow 1.x names

class Dimension(int):
    """tf.Dimension of a fully known shape (TF 1.x): an int with ``.value``."""

    @property
    def value(self):
        return int(self)


def _tf1_table():
    mods = tf_modules.build()
    tf2 = mods["tensorflow"]
    tf1 = types.ModuleType("tensorflow")
    for k, v in vars(tf2).items():
        if not k.startswith("__"):
            setattr(tf1, k, v)
    tf1.log = tf_core.log
    tf1.reciprocal = tf_core.reciprocal
    tf1.is_inf = tf_core.is_inf
    tf1.is_nan = tf_core.is_nan
    tf1.to_float = lambda x, name="ToFloat": tf_core.cast(x, tf_core.float32)
    tf1.to_int32 = lambda x, name="ToInt32": tf_core.cast(x, tf_core.int32)
    tf1.to_int64 = lambda x, name="ToInt64": tf_core.cast(x, tf_core.int64)
    tf1.__version__ = "1.15.5"
    mods["tensorflow"] = tf1
    return mods


@contextlib.contextmanager
def tf1_dimensions():
    """TF 1.x shapes index to Dimension objects."""
    original = tf_core.TensorShape.__getitem__

    def getitem(self, key):
        r = original(self, key)
        return Dimension(r) if isinstance(r, int) else r

    tf_core.TensorShape.__getitem__ = getitem
    try:
        yield
    finally:
        tf_core.TensorShape.__getitem__ = original


# ------------------------------------------------------------------ loading a case

def framework_table(case, framework):
    if framework in ("keras", "tf"):
        return _tf1_table() if case.get("tfVersion") == 1 else tf_modules.build()
    if framework == "theano":
        return theano_shim.build()
    if framework == "numpy-shim":
        return {"numpy": numpy_shim}
    return {}


def stub_table(case):
    table = {}
    for name in case.get("stubs", []):
        if name not in STUBS:
            raise GoldenError(f"{case['name']}: no stand-in for {name!r}")
        table.update(STUBS[name]())
    return table


def module_name(root, path):
    """Dotted name and sys.path entry for a file, as a script at the project root imports it."""
    folder = os.path.dirname(path)
    parts = [os.path.splitext(os.path.basename(path))[0]]
    while folder != root and os.path.exists(os.path.join(folder, "__init__.py")):
        parts.insert(0, os.path.basename(folder))
        folder = os.path.dirname(folder)
    return ".".join(parts), folder


@contextlib.contextmanager
def project_env(case, table):
    """sys.path, sys.modules, cwd and builtins as for `python <script at the root>`."""
    root = os.path.join(ROOT, case["root"])
    path = os.path.join(root, case["file"])
    name, search_dir = module_name(root, path)
    saved_path = list(sys.path)
    saved_cwd = os.getcwd()
    saved_env = os.environ.pop("SEGMODELS_FRAMEWORK", None)
    replaced = {k: sys.modules.get(k) for k in table}
    sys.modules.update(table)
    sys.path[:0] = [search_dir] if search_dir == root else [search_dir, root]
    os.chdir(root)
    ipython = "get_ipython" in case.get("stubs", [])
    if ipython:
        builtins.get_ipython = lambda: _Inert()
    try:
        with contextlib.redirect_stdout(io.StringIO()), base._quiet():
            yield lambda: __import__(name, fromlist=["*"])
    finally:
        if ipython:
            del builtins.get_ipython
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        if saved_env is not None:
            os.environ["SEGMODELS_FRAMEWORK"] = saved_env
        for k in [k for k, m in sys.modules.items()
                  if os.path.abspath(getattr(m, "__file__", None) or "/").startswith(root + os.sep)]:
            del sys.modules[k]
        for k, v in replaced.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v


def get_entry(mod, entry):
    obj = eval(entry, dict(vars(mod)))
    if isinstance(obj, type):
        obj = obj()
    if not callable(obj):
        raise GoldenError(f"entry {entry!r} is not callable")
    return obj


# ------------------------------------------------------------------ inputs

def input_header(spec):
    inp = spec["inputs"]
    contract = spec["contract"]
    shape = tuple(inp["shape"])
    if contract.get("channelless"):
        # (N, *spatial): made with a unit channel axis at 1, squeezed away in make_inputs
        shape = shape[:1] + (1,) + shape[1:]
    if contract.get("flattened") or contract["layout"] == "channels_first" or contract.get("channelless"):
        axis = 1
    else:
        axis = len(shape) - 1
    return {
        "shape": shape, "class-axis": axis, "n-classes": shape[axis], "absent-classes": [],
        "prediction": inp["prediction"], "target": inp["target"], "target-dtype": inp["targetDtype"],
    }


def make_inputs(case, loss, spec):
    hdr = input_header(spec)
    if int(np.prod(hdr["shape"])) > fixture_io.MAX_ELEMENTS:
        raise GoldenError(f"{case['name']}/{loss}: more than {fixture_io.MAX_ELEMENTS} elements")
    rel = f"{case['root']}/{case['file']}::{loss}"
    pred, target = fixture_io.make_inputs(hdr, rel)
    if spec["contract"].get("channelless"):
        pred, target = pred.squeeze(1), target.squeeze(1)
    extras = []
    for i, (name, ex) in enumerate(spec["inputs"].get("extra", {}).items()):
        rng = np.random.RandomState((fixture_io.fixture_seed(rel) + 7919 * (i + 1)) % 2 ** 32)
        like = pred if ex["like"] == "prediction" else target
        shape = like.shape
        if ex["like"] == "target-pixels" and target.ndim == pred.ndim:
            # one weight per pixel: the labels' shape without their class axis, (N, *spatial)
            shape = tuple(d for i, d in enumerate(target.shape) if i != hdr["class-axis"])
        if ex["distribution"] == "uniform":
            arr = rng.uniform(ex["low"], ex["high"], size=shape)
        elif ex["distribution"] == "normal":
            arr = rng.standard_normal(shape) * ex.get("scale", 1.0)
        else:
            raise GoldenError(f"unknown distribution {ex['distribution']!r}")
        extras.append((name, arr.astype(np.float32)))
    return pred, target, extras


def call_loss(fn, pred, target, extras, order, kwargs, dict_input=None):
    if dict_input:
        # the loss takes one dict: the prediction under each of its keys, the labels under theirs
        inputs = {key: pred for key in dict_input["prediction"]}
        inputs[dict_input["labels"]] = target
        return fn(inputs, *extras, **kwargs)
    first, second = (pred, target) if order == "pred_true" else (target, pred)
    return fn(first, second, *extras, **kwargs)


# ------------------------------------------------------------------ runners

def run_torch_like(case, spec, pred_np, target_np, extras_np, framework, probe=False):
    fdtype = torch.float64 if probe else torch.float32
    tf_core.PROBE_FLOAT64 = theano_shim.PROBE_FLOAT64 = probe
    table = {**framework_table(case, framework), **stub_table(case)}
    dims = tf1_dimensions() if case.get("tfVersion") == 1 else contextlib.nullcontext()
    try:
        pred = torch.tensor(pred_np.astype(np.float64), dtype=fdtype, requires_grad=True)
        target = torch.tensor(target_np)
        if target.dtype.is_floating_point:
            target = target.to(fdtype)
        extras = [torch.tensor(a.astype(np.float64), dtype=fdtype) for _, a in extras_np]
        if framework in ("keras", "tf"):
            wrap = lambda t: t.as_subclass(tf_core.Tensor)  # noqa: E731
        elif framework == "theano":
            wrap = lambda t: t.as_subclass(theano_shim.TensorVariable)  # noqa: E731
        else:
            wrap = lambda t: t  # noqa: E731
        with project_env(case, table) as load, dims:
            mod = load()
            fn = get_entry(mod, spec["entry"])
            result = call_loss(fn, wrap(pred), wrap(target), [wrap(e) for e in extras],
                               spec["contract"]["argOrder"], spec.get("callKwargs", {}),
                               spec.get("dictInput"))
            scalar, value = base._torch_value(result)
            kind, grad = base._gradient(scalar, pred)
    finally:
        tf_core.PROBE_FLOAT64 = theano_shim.PROBE_FLOAT64 = False
    if framework == "theano" and kind == "none":
        kind, grad = "zero", torch.zeros_like(pred).detach()
    return value, kind, grad


def _numpy_call(case, spec, pred, target, extras):
    with project_env(case, stub_table(case)) as load:
        fn = get_entry(load(), spec["entry"])
        return call_loss(fn, pred, target, extras, spec["contract"]["argOrder"], spec.get("callKwargs", {}),
                         spec.get("dictInput"))


def run_numpy(case, spec, pred_np, target_np, extras_np, probe=False):
    fnp = np.float32 if probe else np.float64
    fdtype = torch.float32 if probe else torch.float64
    pred_in = pred_np.astype(fnp)
    target_in = target_np.astype(fnp) if target_np.dtype.kind == "f" else target_np.astype(np.int64)
    extras_in = [a.astype(fnp) for _, a in extras_np]
    result = _numpy_call(case, spec, pred_in.copy(), target_in.copy(), [e.copy() for e in extras_in])
    arr = np.asarray(result, dtype=np.float64)
    value = float(arr.mean()) if arr.size != 1 else float(arr.reshape(()))

    default = torch.get_default_dtype()
    torch.set_default_dtype(fdtype)
    table = {**framework_table(case, "numpy-shim"), **stub_table(case)}
    try:
        pred = torch.tensor(pred_in, dtype=fdtype, requires_grad=True)
        target = torch.tensor(target_in)
        extras = [torch.tensor(e).as_subclass(numpy_shim.ndarray) for e in extras_in]
        with project_env(case, table) as load:
            fn = get_entry(load(), spec["entry"])
            result = call_loss(fn, pred.as_subclass(numpy_shim.ndarray), target.as_subclass(numpy_shim.ndarray),
                               extras, spec["contract"]["argOrder"], spec.get("callKwargs", {}),
                               spec.get("dictInput"))
            scalar, shim_value = base._torch_value(result)
            kind, grad = base._gradient(scalar, pred)
    finally:
        torch.set_default_dtype(default)
    rtol = base.NUMPY_RTOL if not probe else 1e-4
    same = (math.isnan(value) and math.isnan(shim_value)) or value == shim_value or (
        math.isfinite(value) and abs(shim_value - value) <= rtol * max(abs(value), 1e-30))
    if not same:
        raise GoldenError(f"numpy shim value {shim_value!r} != real numpy value {value!r}")
    return value, kind, grad


def numpy_fd_check(case, spec, pred_np, target_np, extras_np, grad, h=1e-6, tol=1e-5):
    x0 = pred_np.astype(np.float64)
    target = target_np.astype(np.float64) if target_np.dtype.kind == "f" else target_np.astype(np.int64)
    extras = [a.astype(np.float64) for _, a in extras_np]
    with project_env(case, stub_table(case)) as load:
        fn = get_entry(load(), spec["entry"])

        def f(x):
            r = call_loss(fn, x, target.copy(), extras, spec["contract"]["argOrder"], spec.get("callKwargs", {}),
                          spec.get("dictInput"))
            return float(np.asarray(r, dtype=np.float64).mean())

        fd = np.zeros_like(x0)
        flat = x0.reshape(-1)
        for i in range(flat.size):
            xp, xm = flat.copy(), flat.copy()
            xp[i] += h
            xm[i] -= h
            fd.reshape(-1)[i] = (f(xp.reshape(x0.shape)) - f(xm.reshape(x0.shape))) / (2 * h)
    g = grad.to(torch.float64).numpy()
    scale = np.abs(g).max()
    worst = np.abs(fd - g).max()
    if not worst <= tol * scale + 1e-9:
        raise GoldenError(f"numpy shim gradient differs from finite differences by {worst:.2e} "
                          f"(largest entry {scale:.2e})")


@contextlib.contextmanager
def numpy_read_as_detached():
    """Tensor.numpy() (and so np.asarray, scipy) on a tensor that requires grad as .detach().numpy():
    what the loss computes with the fix PyTorch's error suggests, as the diagnosis reads it."""
    original = torch.Tensor.numpy

    def numpy(self, *args, **kwargs):
        return original(self.detach(), *args, **kwargs)

    torch.Tensor.numpy = numpy
    try:
        yield
    finally:
        torch.Tensor.numpy = original


def check_raises(case, loss, spec, pred_np, target_np, extras_np):
    """A loss the manifest says PyTorch refuses to run really raises that error on a prediction that requires grad."""
    try:
        run_torch_like(case, spec, pred_np, target_np, extras_np, spec["contract"]["framework"])
    except Exception as exc:  # noqa: BLE001  (the error is the point)
        if spec["raises"] in str(exc):
            return
        raise GoldenError(f"{case['name']}/{loss}: raises {type(exc).__name__}: {exc}, not {spec['raises']!r}") from exc
    raise GoldenError(f"{case['name']}/{loss}: the manifest says it raises {spec['raises']!r}, real PyTorch runs it")


def golden_case(case, loss, spec):
    label = f"{case['name']}/{loss}"
    fw = spec["contract"]["framework"]
    pred_np, target_np, extras_np = make_inputs(case, loss, spec)
    if spec.get("raises"):
        check_raises(case, loss, spec, pred_np, target_np, extras_np)
        with numpy_read_as_detached():
            return golden_values(case, loss, spec, label, fw, pred_np, target_np, extras_np)
    return golden_values(case, loss, spec, label, fw, pred_np, target_np, extras_np)


def golden_values(case, loss, spec, label, fw, pred_np, target_np, extras_np):
    try:
        if fw == "numpy":
            value, kind, grad = run_numpy(case, spec, pred_np, target_np, extras_np)
        else:
            value, kind, grad = run_torch_like(case, spec, pred_np, target_np, extras_np, fw)
    except GoldenError:
        raise
    except Exception as exc:
        raise GoldenError(f"{label}: {type(exc).__name__}: {exc}") from exc

    # precision probe: the same loss in float64 (numpy: float32)
    try:
        if fw == "numpy":
            pvalue, pkind, pgrad = run_numpy(case, spec, pred_np, target_np, extras_np, probe=True)
        else:
            pvalue, pkind, pgrad = run_torch_like(case, spec, pred_np, target_np, extras_np, fw, probe=True)
    except Exception as exc:  # e.g. a float32 weight buffer the code mixes with a float64 input
        PROBE_NOTES[label] = f"precision probe not run: {type(exc).__name__}: {exc}"
    else:
        problems, stats = base.conditioning(value, grad, pvalue, pgrad)
        if pkind != kind:
            problems.append(f"gradient kind {kind} in the golden precision but {pkind} in the probe")
        CONDITIONING[label] = stats
        if problems:
            raise GoldenError(f"{label}: ill-conditioned: " + "; ".join(problems))

    if fw == "numpy" and kind == "flows" and math.isfinite(value):
        numpy_fd_check(case, spec, pred_np, target_np, extras_np, grad)
    if kind != spec["gradient"]:
        raise GoldenError(f"{label}: manifest says gradient {spec['gradient']} but real Python gives {kind}")
    if grad is not None and tuple(grad.shape) != tuple(pred_np.shape):
        raise GoldenError(f"{label}: gradient shape {tuple(grad.shape)} != prediction shape")
    row = {
        "case": case["name"],
        "file": f"{case['root']}/{case['file']}",
        "loss": loss,
        "entry": spec["entry"],
        "framework": fw,
        "argOrder": spec["contract"]["argOrder"],
    }
    if spec.get("callKwargs"):
        row["callKwargs"] = spec["callKwargs"]
    if spec.get("raises"):
        row["raises"] = spec["raises"]
    if spec.get("dictInput"):
        row["dictInput"] = spec["dictInput"]
    row.update({
        "prediction": base._encode(pred_np.astype(np.float64).tolist()),
        "target": base._encode(target_np.tolist() if spec["inputs"]["targetDtype"] == "int"
                               else target_np.astype(np.float64).tolist()),
        "targetDtype": spec["inputs"]["targetDtype"],
    })
    if extras_np:
        row["extra"] = {name: base._encode(a.astype(np.float64).tolist()) for name, a in extras_np}
    row["value"] = base._encode(value)
    row["gradient"] = None if grad is None else base._encode(grad.to(torch.float64).tolist())
    return row


# ------------------------------------------------------------------ manifest checks against real Python

FINDING_KINDS = {"non-differentiable", "numpy-on-grad-tensor", "double-activation", "activation-mismatch", "absent-class-explosion",
                 "shape-mismatch", "sign-error", "nan-on-empty", "ignored-class", "argument-order"}
EXPECTS = {"analysed", "skipped", "needs-arguments", "error"}


def check_case_static(case):
    name = case["name"]
    path = os.path.join(ROOT, case["root"], case["file"])
    if not os.path.isfile(path):
        raise GoldenError(f"{name}: no file {case['file']}")
    with open(path, encoding="utf-8") as f:
        source = f.read()
    n_lines = len(source.splitlines())
    error = None
    try:
        compile(source, path, "exec")
    except SyntaxError as exc:
        error = exc
    expected = case.get("fileError")
    if expected:
        if error is None or type(error).__name__ != expected["message"] or error.lineno != expected["line"]:
            got = "compiles" if error is None else f"{type(error).__name__} at line {error.lineno}"
            raise GoldenError(f"{name}: expected {expected['message']} at line {expected['line']}, CPython: {got}")
        if case["losses"]:
            raise GoldenError(f"{name}: a refused file lists no losses")
        return
    if error is not None:
        raise GoldenError(f"{name}: {type(error).__name__} at line {error.lineno}")
    for loss, spec in case["losses"].items():
        if spec["expect"] not in EXPECTS:
            raise GoldenError(f"{name}/{loss}: unknown expectation {spec['expect']!r}")
        for finding in spec.get("findings", []):
            kind, _, line = finding.partition("@")
            if kind not in FINDING_KINDS or not line.isdigit() or not 1 <= int(line) <= n_lines:
                raise GoldenError(f"{name}/{loss}: bad finding {finding!r}")
        if spec["expect"] == "error" and not 1 <= spec["line"] <= n_lines:
            raise GoldenError(f"{name}/{loss}: error line out of range")


def check_case_python(case):
    """The file imports; needs-arguments callables fail bare; stubbed values named by errors are reached."""
    name = case["name"]
    table = stub_table(case)
    frameworks = {spec["contract"]["framework"] for spec in case["losses"].values() if "contract" in spec}
    fw = frameworks.pop() if len(frameworks) == 1 else None
    if fw in ("keras", "tf", "theano"):
        table = {**framework_table(case, fw), **table}
    elif fw is None:
        # no analysed loss: pick the shims from the file's imports
        with open(os.path.join(ROOT, case["root"], case["file"]), encoding="utf-8") as f:
            text = f.read()
        if "tensorflow" in text or "keras" in text:
            table = {**tf_modules.build(), **table}
        elif "theano" in text:
            table = {**theano_shim.build(), **table}
    dims = tf1_dimensions() if case.get("tfVersion") == 1 else contextlib.nullcontext()
    with project_env(case, table) as load, dims:
        try:
            mod = load()
        except Exception as exc:
            raise GoldenError(f"{name}: importing {case['file']} fails: {type(exc).__name__}: {exc}") from exc
        for loss, spec in case["losses"].items():
            if spec["expect"] == "needs-arguments" and spec.get("dictKeys"):
                check_dict_keys(name, loss, spec["dictKeys"], get_entry(mod, loss))
                continue
            if spec["expect"] == "needs-arguments":
                bare = loss if loss.endswith("()") else f"{loss}()"
                try:
                    obj = eval(bare, dict(vars(mod)))
                except (TypeError, KeyError):
                    continue
                raise GoldenError(f"{name}/{loss}: `{bare}` works without arguments ({obj!r})")
            if spec["expect"] == "error" and not spec.get("optional"):
                fn = get_entry(mod, loss)
                pred = torch.randn(2, 1, 8, 8, requires_grad=True)
                target = (torch.rand(2, 1, 8, 8) > 0.5).float()
                try:
                    fn(pred, target)
                except StubUsed as exc:
                    if spec["message"] not in str(exc):
                        raise GoldenError(f"{name}/{loss}: reached {exc}, not {spec['message']}") from exc
                    continue
                raise GoldenError(f"{name}/{loss}: runs without touching {spec['message']}")


def check_dict_keys(name, loss, keys, fn):
    """A loss that needs its dict's keys named: built bare, it refuses two tensors and reads exactly `keys`."""
    pred = torch.randn(2, 3, 8, 8)
    target = torch.rand(2, 3, 8, 8)
    try:
        fn(pred, target)
    except TypeError:
        pass
    else:
        raise GoldenError(f"{name}/{loss}: takes (prediction, target), not one dict")
    try:
        fn({key: pred if i == 0 else target for i, key in enumerate(keys)})
    except Exception as exc:
        raise GoldenError(f"{name}/{loss}: fails on a dict of {keys}: {type(exc).__name__}: {exc}") from exc
    for missing in keys:
        try:
            fn({key: pred for key in keys if key != missing})
        except KeyError:
            continue
        raise GoldenError(f"{name}/{loss}: runs without the key {missing!r}")


# ------------------------------------------------------------------ driver

def load_manifest():
    with open(MANIFEST, encoding="utf-8") as f:
        manifest = json.load(f)
    names = [c["name"] for c in manifest["cases"]]
    if len(set(names)) != len(names):
        raise GoldenError("manifest: duplicate case names")
    for c in manifest["cases"]:
        if c["root"] != f"test/corpus/cases/{c['name']}":
            raise GoldenError(f"{c['name']}: root must be test/corpus/cases/{c['name']}")
    on_disk = sorted(os.listdir(os.path.join(HERE, "cases")))
    if sorted(names) != on_disk:
        raise GoldenError(f"manifest and cases/ differ: {sorted(set(names) ^ set(on_disk))}")
    return manifest


def generate(only=None):
    torch.set_num_threads(1)
    torch.manual_seed(0)
    manifest = load_manifest()
    rows, errors = [], []
    for case in manifest["cases"]:
        if only and case["name"] not in only:
            continue
        try:
            check_case_static(case)
            if case.get("fileError"):
                continue
            check_case_python(case)
        except GoldenError as exc:
            errors.append(str(exc))
            continue
        for loss, spec in case["losses"].items():
            if spec["expect"] != "analysed":
                continue
            try:
                rows.append(golden_case(case, loss, spec))
            except GoldenError as exc:
                errors.append(str(exc))
    if errors:
        raise GoldenError("\n".join(["corpus golden generation failed:"] + errors))
    return {"generator": {"torch": torch.__version__, "numpy": np.__version__, "scipy": _scipy_version()},
            "cases": rows}


def _scipy_version():
    import scipy
    return scipy.__version__


def dumps(doc):
    head = json.dumps(doc["generator"], sort_keys=True)
    lines = [json.dumps(c, separators=(",", ":"), allow_nan=False) for c in doc["cases"]]
    return '{"generator": ' + head + ', "cases": [\n' + ",\n".join(lines) + "\n]}\n"


def main(argv):
    only = [argv[i + 1] for i, a in enumerate(argv) if a == "--case"]
    try:
        doc = generate(only or None)
    except GoldenError as exc:
        print(exc, file=sys.stderr)
        return 1
    text = dumps(doc)
    if "--verbose" in argv or only:
        for label, st in sorted(CONDITIONING.items()):
            print(f"  {label:60s} value {st.get('value_rel', float('nan')):.1e}  "
                  f"grad/max {st.get('grad_rel_to_max', float('nan')):.1e}")
        for label, note in sorted(PROBE_NOTES.items()):
            print(f"  {label:60s} {note}")
    if only:
        for row in doc["cases"]:
            print(f"{row['case']}/{row['loss']}: value {row['value']} gradient "
                  f"{'null' if row['gradient'] is None else 'flows'}")
        return 0
    if "--check" in argv:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                print("golden.json is out of date: run /usr/bin/python3 test/corpus/make_golden.py", file=sys.stderr)
                return 1
        print(f"golden.json up to date ({len(doc['cases'])} losses)")
        return 0
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    counts = {}
    for c in doc["cases"]:
        counts[c["framework"]] = counts.get(c["framework"], 0) + 1
    print(f"wrote {os.path.relpath(OUT, ROOT)}: {len(doc['cases'])} losses {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
