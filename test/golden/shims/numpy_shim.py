"""A torch-backed ``numpy`` for taking gradients of numpy loss code.

Arrays are :class:`ndarray`, a torch.Tensor subclass with numpy's method
semantics (``a.sum(axis=..., keepdims=...)``, ``a.max()`` returning values,
``a.astype``, ``a.size`` as an attribute, ...).  The generator runs it with
torch's default dtype set to float64, so Python scalars, int/int division and
new arrays come out float64 the way numpy's do; dimensioned arrays keep their
dtype against Python/0-d scalars as in numpy's value-based casting.

numpy has no autograd, so "the gradient" here means: what a differentiable
reading of the same code gives.  Non-differentiable numpy operations cut the
path: argmax/argmin, comparisons, logical ops, integer/bool casts
(``astype``), ``round``/``rint``/``floor``/``ceil`` (detached here, unlike
torch.round's zero gradient), ``unique``, ``count_nonzero``.  ``clip`` passes
the gradient inside and at the bounds; ``maximum``/``minimum``/``max`` split
ties as torch does.

Augmented assignment (``a += b``) builds a new array instead of writing into
``a``: the fixtures never rely on aliasing, and writing in place into tensors
that autograd saved would fail.

The generator checks every value computed through this shim against the real
numpy value (relative 1e-5), so a divergence in semantics shows up at once.
"""

import builtins
import contextlib
import math as _math

import numpy as _real_np
import torch


class _DType:
    def __init__(self, name, tdtype):
        self.name = name
        self.torch = tdtype

    def __call__(self, x=0):
        if isinstance(x, torch.Tensor):
            return astype(x, self)
        return wrap(torch.tensor(x, dtype=self.torch))

    def __eq__(self, other):
        try:
            return _dt(other) == self.torch
        except TypeError:
            return NotImplemented

    def __hash__(self):
        return hash(self.name)

    def __repr__(self):
        return f"<class 'numpy.{self.name}'>"

    @property
    def type(self):
        return self


float16 = _DType("float16", torch.float16)
float32 = _DType("float32", torch.float32)
float64 = _DType("float64", torch.float64)
int8 = _DType("int8", torch.int8)
int16 = _DType("int16", torch.int16)
int32 = _DType("int32", torch.int32)
int64 = _DType("int64", torch.int64)
uint8 = _DType("uint8", torch.uint8)
bool_ = _DType("bool_", torch.bool)
float_ = double = float64
int_ = int64
single = float32

_BY_NAME = {"float16": torch.float16, "float32": torch.float32, "float64": torch.float64,
            "float": torch.float64, "double": torch.float64, "f4": torch.float32,
            "f8": torch.float64, "int8": torch.int8, "int16": torch.int16,
            "int32": torch.int32, "int64": torch.int64, "int": torch.int64,
            "uint8": torch.uint8, "bool": torch.bool, "bool_": torch.bool}


def _dt(d):
    if d is None:
        return None
    if isinstance(d, _DType):
        return d.torch
    if isinstance(d, torch.dtype):
        return d
    if d is builtins.float:
        return torch.float64
    if d is builtins.int:
        return torch.int64
    if d is builtins.bool:
        return torch.bool
    if isinstance(d, str):
        if d in _BY_NAME:
            return _BY_NAME[d]
    if isinstance(d, _real_np.dtype) or (isinstance(d, type) and issubclass(d, _real_np.generic)):
        return _BY_NAME[_real_np.dtype(d).name]
    raise TypeError(f"numpy shim: unknown dtype {d!r}")


def plain(x):
    if isinstance(x, torch.Tensor) and type(x) is not torch.Tensor:
        return x.as_subclass(torch.Tensor)
    return x


def wrap(x):
    if isinstance(x, torch.Tensor):
        return x.as_subclass(ndarray)
    if isinstance(x, tuple):
        return tuple(wrap(v) for v in x)
    return x


def _t(x):
    """Array-like -> plain torch tensor, numpy dtype rules for Python data."""
    if isinstance(x, torch.Tensor):
        return plain(x)
    if isinstance(x, (list, tuple)):
        items = [_t(v) for v in x]
        if not items:
            return torch.zeros(0, dtype=torch.float64)
        dt = items[0].dtype
        for it in items[1:]:
            dt = torch.promote_types(dt, it.dtype)
        return torch.stack([it.to(dt) for it in items])
    if isinstance(x, builtins.bool):
        return torch.tensor(x, dtype=torch.bool)
    if isinstance(x, builtins.int):
        return torch.tensor(x, dtype=torch.int64)
    if isinstance(x, builtins.float):
        return torch.tensor(x, dtype=torch.float64)
    if isinstance(x, (_real_np.ndarray, _real_np.generic)):
        return torch.from_numpy(_real_np.array(x))
    raise TypeError(f"numpy shim: cannot convert {type(x).__name__}")


def _scalar_or_t(x):
    """Python scalars stay scalars (weak type, like numpy's value-based casting)."""
    if isinstance(x, (builtins.bool, builtins.int, builtins.float)):
        return x
    return _t(x)


def _axes(x, axis):
    if axis is None:
        return list(range(x.dim()))
    if isinstance(axis, (list, tuple)):
        return sorted({int(a) % x.dim() for a in axis})
    return [int(axis) % x.dim()]


class ndarray(torch.Tensor):
    """numpy.ndarray stand-in."""

    @property
    def size(self):
        return plain(self).numel()

    @property
    def T(self):
        return transpose(self)

    def sum(self, axis=None, dtype=None, out=None, keepdims=False):
        return sum(self, axis=axis, dtype=dtype, keepdims=keepdims)

    def mean(self, axis=None, dtype=None, out=None, keepdims=False):
        return mean(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, out=None, keepdims=False):
        return amax(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, out=None, keepdims=False):
        return amin(self, axis=axis, keepdims=keepdims)

    def prod(self, axis=None, keepdims=False):
        return prod(self, axis=axis, keepdims=keepdims)

    def std(self, axis=None, ddof=0, keepdims=False):
        return std(self, axis=axis, ddof=ddof, keepdims=keepdims)

    def any(self, axis=None, keepdims=False):
        return any(self, axis=axis, keepdims=keepdims)

    def all(self, axis=None, keepdims=False):
        return all(self, axis=axis, keepdims=keepdims)

    def argmax(self, axis=None):
        return argmax(self, axis=axis)

    def astype(self, dtype, copy=True):
        return astype(self, dtype)

    def reshape(self, *shape, order="C"):
        if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
            shape = tuple(shape[0])
        return wrap(plain(self).reshape(shape))

    def flatten(self, order="C"):
        return wrap(plain(self).reshape(-1))

    def ravel(self, order="C"):
        return wrap(plain(self).reshape(-1))

    def copy(self, order="C"):
        return wrap(plain(self).clone())

    def clip(self, min=None, max=None):
        return clip(self, min, max)

    def transpose(self, *axes):
        if len(axes) == 1 and isinstance(axes[0], (list, tuple)):
            axes = tuple(axes[0])
        return transpose(self, axes or None)

    def squeeze(self, axis=None):
        return squeeze(self, axis)

    def dot(self, other):
        return dot(self, other)

    def __iadd__(self, other):
        return self + other

    def __isub__(self, other):
        return self - other

    def __imul__(self, other):
        return self * other

    def __itruediv__(self, other):
        return self / other

    def __ipow__(self, other):
        return self ** other

    def __repr__(self):
        return "array(" + repr(plain(self).detach().tolist()) + ")"

    __str__ = __repr__


# ------------------------------------------------------------ constructors

def array(obj, dtype=None, copy=True, ndmin=0):
    t = _t(obj)
    if dtype is not None:
        return astype(t, dtype)
    return wrap(t.clone() if copy and isinstance(obj, torch.Tensor) else t)


def asarray(a, dtype=None, order=None):
    t = _t(a)
    if dtype is not None:
        return astype(t, dtype)
    return wrap(t)


ascontiguousarray = asarray
asanyarray = asarray


def astype(x, dtype):
    t = _t(x)
    dt = _dt(dtype)
    if t.dtype == dt:
        return wrap(t)
    if t.dtype.is_floating_point and dt.is_floating_point:
        return wrap(t.to(dt))
    return wrap(t.to(dt).detach())


def _shape(shape):
    if isinstance(shape, builtins.int):
        return (shape,)
    return tuple(builtins.int(s) for s in shape)


def zeros(shape, dtype=float):
    return wrap(torch.zeros(_shape(shape), dtype=_dt(dtype)))


def ones(shape, dtype=float):
    return wrap(torch.ones(_shape(shape), dtype=_dt(dtype)))


def full(shape, fill_value, dtype=None):
    t = _t(fill_value)
    return wrap(torch.full(_shape(shape), t.item(), dtype=_dt(dtype) or t.dtype))


def zeros_like(a, dtype=None):
    t = _t(a)
    return wrap(torch.zeros_like(t, dtype=_dt(dtype) or t.dtype))


def ones_like(a, dtype=None):
    t = _t(a)
    return wrap(torch.ones_like(t, dtype=_dt(dtype) or t.dtype))


def eye(N, M=None, k=0, dtype=float):
    return wrap(torch.eye(N, M if M is not None else N, dtype=_dt(dtype)))


def arange(start, stop=None, step=1, dtype=None):
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        dtype = float if builtins.any(isinstance(v, builtins.float) for v in (start, stop, step)) else int
    return wrap(torch.arange(start, stop, step, dtype=_dt(dtype)))


# ------------------------------------------------------------ reductions

def sum(a, axis=None, dtype=None, out=None, keepdims=False):
    t = _t(a)
    if dtype is not None:
        t = astype(t, dtype)
        t = plain(t)
    dims = _axes(t, axis)
    if not dims:
        return wrap(t.to(torch.int64) if t.dtype == torch.bool else t)
    return wrap(torch.sum(t, dim=dims, keepdim=keepdims))


def mean(a, axis=None, dtype=None, out=None, keepdims=False):
    t = _t(a)
    if not t.dtype.is_floating_point:
        t = t.to(torch.float64)
    dims = _axes(t, axis)
    if not dims:
        return wrap(t)
    return wrap(torch.mean(t, dim=dims, keepdim=keepdims))


def average(a, axis=None, weights=None):
    if weights is None:
        return mean(a, axis=axis)
    t = _t(a)
    w = _t(weights)
    return wrap(plain(sum(t * w, axis=axis)) / plain(sum(w, axis=axis)))


def nansum(a, axis=None, keepdims=False):
    t = _t(a)
    return wrap(torch.nansum(t, dim=_axes(t, axis), keepdim=keepdims))


def nanmean(a, axis=None, keepdims=False):
    t = _t(a)
    if not t.dtype.is_floating_point:
        t = t.to(torch.float64)
    return wrap(torch.nanmean(t, dim=_axes(t, axis), keepdim=keepdims))


def _nan_moments(a, axis, ddof, keepdims):
    t = _t(a)
    if not t.dtype.is_floating_point:
        t = t.to(torch.float64)
    dims = _axes(t, axis)
    present = ~torch.isnan(t)
    count = present.sum(dim=dims, keepdim=True).to(t.dtype)
    mean = torch.where(present, t, torch.zeros_like(t)).sum(dim=dims, keepdim=True) / count
    centred = torch.where(present, t - mean, torch.zeros_like(t))
    var = (centred * centred).sum(dim=dims, keepdim=True) / torch.clamp(count - ddof, min=0)
    return var if keepdims else var.reshape([d for i, d in enumerate(t.shape) if i not in dims])


def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return wrap(_nan_moments(a, axis, ddof, keepdims))


def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return wrap(torch.sqrt(_nan_moments(a, axis, ddof, keepdims)))


def nanmax(a, axis=None, out=None, keepdims=False):
    t = _t(a)
    filled = torch.where(torch.isnan(t), torch.full_like(t, -float("inf")), t)
    return wrap(torch.amax(filled, dim=_axes(t, axis), keepdim=keepdims))


def nanmin(a, axis=None, out=None, keepdims=False):
    t = _t(a)
    filled = torch.where(torch.isnan(t), torch.full_like(t, float("inf")), t)
    return wrap(torch.amin(filled, dim=_axes(t, axis), keepdim=keepdims))


def amax(a, axis=None, out=None, keepdims=False):
    t = _t(a)
    return wrap(torch.amax(t, dim=_axes(t, axis), keepdim=keepdims))


def amin(a, axis=None, out=None, keepdims=False):
    t = _t(a)
    return wrap(torch.amin(t, dim=_axes(t, axis), keepdim=keepdims))


max = amax
min = amin


def prod(a, axis=None, keepdims=False):
    t = _t(a)
    for d in sorted(_axes(t, axis), reverse=True):
        t = torch.prod(t, dim=d, keepdim=keepdims)
    return wrap(t)


def std(a, axis=None, ddof=0, keepdims=False):
    t = _t(a)
    if not t.dtype.is_floating_point:
        t = t.to(torch.float64)
    return wrap(torch.std(t, dim=_axes(t, axis), unbiased=bool(ddof), keepdim=keepdims))


def var(a, axis=None, ddof=0, keepdims=False):
    t = _t(a)
    if not t.dtype.is_floating_point:
        t = t.to(torch.float64)
    return wrap(torch.var(t, dim=_axes(t, axis), unbiased=bool(ddof), keepdim=keepdims))


def any(a, axis=None, keepdims=False):
    t = _t(a) != 0
    for d in sorted(_axes(t, axis), reverse=True):
        t = torch.any(t, dim=d, keepdim=keepdims)
    return wrap(t)


def all(a, axis=None, keepdims=False):
    t = _t(a) != 0
    for d in sorted(_axes(t, axis), reverse=True):
        t = torch.all(t, dim=d, keepdim=keepdims)
    return wrap(t)


def argmax(a, axis=None):
    t = _t(a)
    if axis is None:
        return wrap(torch.argmax(t.reshape(-1)).detach())
    return wrap(torch.argmax(t, dim=int(axis)).detach())


def argmin(a, axis=None):
    t = _t(a)
    if axis is None:
        return wrap(torch.argmin(t.reshape(-1)).detach())
    return wrap(torch.argmin(t, dim=int(axis)).detach())


def count_nonzero(a, axis=None):
    t = _t(a) != 0
    if axis is None:
        return wrap(torch.sum(t))
    return wrap(torch.sum(t, dim=_axes(t, axis)))


def unique(ar):
    return wrap(torch.unique(_t(ar).detach(), sorted=True))


# ------------------------------------------------------------ elementwise

def _ufunc(fn, cut=False):
    def op(x, *args, **kwargs):
        t = _t(x)
        if not t.dtype.is_floating_point and fn not in (torch.abs, torch.square, torch.sign, torch.neg):
            t = t.to(torch.float64)
        r = fn(t)
        return wrap(r.detach() if cut else r)
    return op


log = _ufunc(torch.log)
log2 = _ufunc(torch.log2)
log10 = _ufunc(torch.log10)
log1p = _ufunc(torch.log1p)
exp = _ufunc(torch.exp)
expm1 = _ufunc(torch.expm1)
sqrt = _ufunc(torch.sqrt)
square = _ufunc(torch.square)
abs = absolute = _ufunc(torch.abs)
sign = _ufunc(torch.sign)
negative = _ufunc(torch.neg)
cosh = _ufunc(torch.cosh)
sinh = _ufunc(torch.sinh)
tanh = _ufunc(torch.tanh)
sin = _ufunc(torch.sin)
cos = _ufunc(torch.cos)
floor = _ufunc(torch.floor, cut=True)
ceil = _ufunc(torch.ceil, cut=True)
rint = _ufunc(torch.round, cut=True)
isnan = _ufunc(torch.isnan, cut=True)
isinf = _ufunc(torch.isinf, cut=True)
isfinite = _ufunc(torch.isfinite, cut=True)


def round(a, decimals=0):
    t = _t(a)
    if decimals:
        r = torch.round(t * 10 ** decimals) / 10 ** decimals
    else:
        r = torch.round(t)  # half to even, as numpy
    return wrap(r.detach())


around = round


def _binop(fn):
    def op(x, y, *args, **kwargs):
        a, b = _scalar_or_t(x), _scalar_or_t(y)
        if not isinstance(a, torch.Tensor):
            a = torch.tensor(a, dtype=_weak_dtype(a, b))
        if not isinstance(b, torch.Tensor):
            b = torch.tensor(b, dtype=_weak_dtype(b, a))
        return wrap(fn(a, b))
    return op


def _weak_dtype(scalar, other):
    if isinstance(scalar, builtins.bool):
        return torch.bool
    if isinstance(scalar, builtins.int):
        return other.dtype if isinstance(other, torch.Tensor) and other.dtype != torch.bool else torch.int64
    if isinstance(other, torch.Tensor) and other.dtype.is_floating_point:
        return other.dtype
    return torch.float64


def _div(a, b):
    if not a.dtype.is_floating_point and not b.dtype.is_floating_point:
        a, b = a.to(torch.float64), b.to(torch.float64)
    return torch.div(a, b)


add = _binop(torch.add)
subtract = _binop(torch.sub)
multiply = _binop(torch.mul)
divide = true_divide = _binop(_div)
power = _binop(torch.pow)
maximum = _binop(torch.maximum)
minimum = _binop(torch.minimum)
equal = _binop(lambda a, b: torch.eq(a, b))
not_equal = _binop(lambda a, b: torch.ne(a, b))
greater = _binop(lambda a, b: torch.gt(a, b))
greater_equal = _binop(lambda a, b: torch.ge(a, b))
less = _binop(lambda a, b: torch.lt(a, b))
less_equal = _binop(lambda a, b: torch.le(a, b))
logical_and = _binop(lambda a, b: torch.logical_and(a, b))
logical_or = _binop(lambda a, b: torch.logical_or(a, b))
logical_xor = _binop(lambda a, b: torch.logical_xor(a, b))


def logical_not(x):
    return wrap(torch.logical_not(_t(x)))


def clip(a, a_min, a_max):
    t = _t(a)
    lo = None if a_min is None else (_t(a_min).to(t.dtype) if isinstance(a_min, torch.Tensor) else a_min)
    hi = None if a_max is None else (_t(a_max).to(t.dtype) if isinstance(a_max, torch.Tensor) else a_max)
    return wrap(torch.clamp(t, lo, hi))


def where(condition, x=None, y=None):
    c = _t(condition)
    if c.dtype != torch.bool:
        c = c != 0
    if x is None and y is None:
        return tuple(wrap(i) for i in torch.nonzero(c, as_tuple=True))
    a, b = _scalar_or_t(x), _scalar_or_t(y)
    if not isinstance(a, torch.Tensor):
        a = torch.tensor(a, dtype=_weak_dtype(a, b))
    if not isinstance(b, torch.Tensor):
        b = torch.tensor(b, dtype=_weak_dtype(b, a))
    dt = torch.promote_types(a.dtype, b.dtype)
    return wrap(torch.where(c, a.to(dt), b.to(dt)))


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    t = _t(x)
    return wrap(torch.nan_to_num(t, nan=nan, posinf=posinf, neginf=neginf))


# ------------------------------------------------------------ shapes

def reshape(a, newshape, order="C"):
    return wrap(_t(a).reshape(_shape(newshape) if not isinstance(newshape, builtins.int) else (newshape,)))


def transpose(a, axes=None):
    t = _t(a)
    if axes is None:
        axes = list(range(t.dim()))[::-1]
    return wrap(t.permute(*axes))


def rollaxis(a, axis, start=0):
    t = _t(a)
    n = t.dim()
    axis = int(axis) % n
    start = int(start) + n if int(start) < 0 else int(start)
    if axis < start:
        start -= 1
    if axis == start:
        return wrap(t)
    axes = [i for i in range(n) if i != axis]
    axes.insert(start, axis)
    return wrap(t.permute(*axes))


def moveaxis(a, source, destination):
    return wrap(torch.movedim(_t(a), source, destination))


def expand_dims(a, axis):
    t = _t(a)
    if isinstance(axis, (list, tuple)):
        for ax in sorted(int(v) % (t.dim() + len(axis)) for v in axis):
            t = t.unsqueeze(ax)
        return wrap(t)
    return wrap(t.unsqueeze(int(axis)))


def squeeze(a, axis=None):
    t = _t(a)
    if axis is None:
        return wrap(t.squeeze())
    for d in sorted(_axes(t, axis), reverse=True):
        if t.shape[d] != 1:
            raise ValueError("numpy shim: cannot select an axis to squeeze out which has size not equal to one")
        t = t.squeeze(d)
    return wrap(t)


def stack(arrays, axis=0):
    ts = [_t(a) for a in arrays]
    dt = ts[0].dtype
    for t in ts[1:]:
        dt = torch.promote_types(dt, t.dtype)
    return wrap(torch.stack([t.to(dt) for t in ts], dim=axis))


def concatenate(arrays, axis=0):
    ts = [_t(a) for a in arrays]
    dt = ts[0].dtype
    for t in ts[1:]:
        dt = torch.promote_types(dt, t.dtype)
    return wrap(torch.cat([t.to(dt) for t in ts], dim=axis))


def einsum(subscripts, *operands, **kwargs):
    ts = [_t(o) for o in operands]
    dt = ts[0].dtype
    for t in ts[1:]:
        dt = torch.promote_types(dt, t.dtype)
    return wrap(torch.einsum(subscripts, *[t.to(dt) for t in ts]))


def dot(a, b):
    a, b = _t(a), _t(b)
    dt = torch.promote_types(a.dtype, b.dtype)
    a, b = a.to(dt), b.to(dt)
    if a.dim() == 0 or b.dim() == 0:
        return wrap(a * b)
    return wrap(torch.matmul(a, b))


matmul = dot


def ndim(a):
    return _t(a).dim()


def shape(a):
    return tuple(_t(a).shape)


def size(a, axis=None):
    t = _t(a)
    return t.numel() if axis is None else t.shape[axis]


def copy(a):
    return wrap(_t(a).clone())


# ------------------------------------------------------------ misc

class finfo:
    def __init__(self, dtype):
        real = _real_np.finfo({torch.float16: "float16", torch.float32: "float32",
                               torch.float64: "float64"}[_dt(dtype)])
        self.eps = builtins.float(real.eps)
        self.tiny = builtins.float(real.tiny)
        self.max = builtins.float(real.max)
        self.min = builtins.float(real.min)
        self.resolution = builtins.float(real.resolution)


@contextlib.contextmanager
def errstate(**kwargs):
    yield


def seterr(**kwargs):
    return {"all": "warn"}


newaxis = None
nan = float("nan")
NaN = nan
inf = float("inf")
Inf = inf
pi = _math.pi
e = _math.e
__version__ = _real_np.__version__
