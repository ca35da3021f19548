"""theano / theano.tensor (Theano 1.0) on torch tensors.

Semantics kept from Theano:

* ``T.flatten(x, ndim=1)`` keeps the first ndim-1 axes; ``T.argmax(x,
  axis=None)`` works on the flattened tensor; ``T.mean`` of an integer
  tensor is float64.
* ``T.nnet.softmax`` accepts only 1-D/2-D input and normalises the last axis;
  ``T.nnet.categorical_crossentropy(coding_dist, true_dist)`` takes the
  *prediction first*: with a matrix of targets it is
  ``-sum(true * log(coding), axis=-1)``, with an integer vector it picks
  ``-log(coding[i, true[i]])``; ``T.nnet.binary_crossentropy(output, target)``
  is ``-(target*log(output) + (1-target)*log(1-output))``; neither clips.
* ``T.round`` defaults to half-away-from-zero.
* ``T.maximum``/``T.minimum`` send the gradient of a tie to both inputs;
  ``T.clip`` passes the gradient at the bounds.
* Argmax, comparisons, integer casts and Round have gradients defined as
  zeros in Theano (``x.zeros_like()``), so ``theano.grad`` through them gives
  a zero gradient rather than an error.  Here they are cut with ``detach``;
  the generator reports a theano result without any gradient path as a
  ``zero`` gradient for that reason.
* Variables are immutable: ``+=`` builds a new variable.

Dtype promotion uses torch's rules (Theano would upcast int * float32 to
float64); this changes values only in the last float32 bits.
"""

import builtins
import types

import numpy as _real_np
import torch


def plain(x):
    if isinstance(x, torch.Tensor) and type(x) is not torch.Tensor:
        return x.as_subclass(torch.Tensor)
    return x


def wrap(x):
    if isinstance(x, torch.Tensor):
        return x.as_subclass(TensorVariable)
    return x


def as_tensor_variable(x, name=None, ndim=None):
    if isinstance(x, torch.Tensor):
        return plain(x)
    arr = _real_np.asarray(x)
    if arr.dtype.kind == "f":
        return torch.tensor(arr.tolist(), dtype=_dtype(floatX_holder.floatX) if arr.ndim else torch.float64)
    if arr.dtype.kind == "b":
        return torch.tensor(arr.tolist(), dtype=torch.bool)
    return torch.tensor(arr.tolist(), dtype=torch.int64)


_DTYPES = {"float32": torch.float32, "float64": torch.float64, "floatX": None,
           "int8": torch.int8, "int16": torch.int16, "int32": torch.int32,
           "int64": torch.int64, "uint8": torch.uint8, "bool": torch.bool}


PROBE_FLOAT64 = False  # precision probe of make_golden.py: float32 -> float64


def _dtype(d):
    if isinstance(d, torch.dtype):
        r = d
    else:
        if d == "floatX":
            d = floatX_holder.floatX
        r = _DTYPES[str(d)]
    if PROBE_FLOAT64 and r == torch.float32:
        return torch.float64
    return r


def _axes(x, axis):
    if axis is None:
        return list(range(x.dim()))
    if isinstance(axis, (list, tuple)):
        return sorted({int(a) % x.dim() for a in axis})
    return [int(axis) % x.dim()]


class TensorVariable(torch.Tensor):
    """A (numerically evaluated) Theano tensor variable."""

    def dimshuffle(self, *pattern):
        if len(pattern) == 1 and isinstance(pattern[0], (list, tuple)):
            pattern = tuple(pattern[0])
        x = plain(self)
        dims = [p for p in pattern if p != "x"]
        dropped = [d for d in range(x.dim()) if d not in dims]
        for d in dropped:
            if x.shape[d] != 1:
                raise ValueError("theano shim: can only drop broadcastable dimensions")
        y = x.permute(*(dims + dropped))
        out_shape = [1 if p == "x" else x.shape[p] for p in pattern]
        return wrap(y.reshape(out_shape))

    def flatten(self, ndim=1, outdim=None):
        return flatten(self, ndim if outdim is None else outdim)

    def sum(self, axis=None, dtype=None, keepdims=False, acc_dtype=None):
        return sum(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, dtype=None, keepdims=False, acc_dtype=None):
        return mean(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        return max(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        return min(self, axis=axis, keepdims=keepdims)

    def argmax(self, axis=None, keepdims=False):
        return argmax(self, axis=axis, keepdims=keepdims)

    def reshape(self, shape, *more, ndim=None):
        if more:
            shape = (shape,) + more
        return reshape(self, shape)

    def astype(self, dtype):
        return cast(self, dtype)

    def nonzero_values(self):
        x = plain(self)
        return wrap(x[x != 0])

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
        return "TensorVariable(" + repr(plain(self).detach()) + ")"

    __str__ = __repr__


class _FloatX:
    floatX = "float32"


floatX_holder = _FloatX()


# ------------------------------------------------------------ tensor functions

def _t(x):
    return as_tensor_variable(x)


def sum(x, axis=None, dtype=None, keepdims=False, acc_dtype=None):
    x = _t(x)
    dims = _axes(x, axis)
    if not dims:
        return wrap(x)
    return wrap(torch.sum(x, dim=dims, keepdim=keepdims))


def mean(x, axis=None, dtype=None, keepdims=False, acc_dtype=None):
    x = _t(x)
    if not x.dtype.is_floating_point:
        x = x.to(torch.float64)
    dims = _axes(x, axis)
    if not dims:
        return wrap(x)
    return wrap(torch.mean(x, dim=dims, keepdim=keepdims))


def prod(x, axis=None, keepdims=False):
    x = _t(x)
    for d in sorted(_axes(x, axis), reverse=True):
        x = torch.prod(x, dim=d, keepdim=keepdims)
    return wrap(x)


def max(x, axis=None, keepdims=False):
    x = _t(x)
    return wrap(torch.amax(x, dim=_axes(x, axis), keepdim=keepdims))


def min(x, axis=None, keepdims=False):
    x = _t(x)
    return wrap(torch.amin(x, dim=_axes(x, axis), keepdim=keepdims))


def argmax(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None:
        r = torch.argmax(x.reshape(-1))
    else:
        r = torch.argmax(x, dim=int(axis), keepdim=keepdims)
    return wrap(r.detach())


def flatten(x, ndim=1, outdim=None):
    if outdim is not None:
        ndim = outdim
    x = _t(x)
    if ndim < 1:
        raise ValueError("theano shim: flatten ndim must be >= 1")
    keep = list(x.shape[:ndim - 1])
    return wrap(x.reshape(keep + [-1]))


def reshape(x, newshape, ndim=None):
    x = _t(x)
    if isinstance(newshape, torch.Tensor):
        newshape = [int(v) for v in plain(newshape).tolist()]
    newshape = [int(plain(s)) if isinstance(s, torch.Tensor) else int(s) for s in newshape]
    return wrap(x.reshape(newshape))


def cast(x, dtype):
    x = _t(x)
    dt = _dtype(dtype)
    if x.dtype == dt:
        return wrap(x)
    if x.dtype.is_floating_point and dt.is_floating_point:
        return wrap(x.to(dt))
    return wrap(x.to(dt).detach())


def _unary(fn):
    def op(x):
        x = _t(x)
        if not x.dtype.is_floating_point and fn not in (torch.abs, torch.square, torch.neg):
            x = x.to(torch.float64)
        return wrap(fn(x))
    return op


log = _unary(torch.log)
log1p = _unary(torch.log1p)
exp = _unary(torch.exp)
sqrt = _unary(torch.sqrt)
sqr = _unary(torch.square)
abs_ = _unary(torch.abs)
abs = abs_
tanh = _unary(torch.tanh)
cosh = _unary(torch.cosh)
neg = _unary(torch.neg)
inv = _unary(torch.reciprocal)


def sgn(x):
    return wrap(torch.sign(_t(x)))


def pow(x, y):
    return wrap(torch.pow(_t(x), plain(y)))


def round(a, mode=None):
    a = _t(a)
    if mode is None or mode == "half_away_from_zero":
        r = torch.sign(a) * torch.floor(torch.abs(a) + 0.5)
    elif mode == "half_to_even":
        r = torch.round(a)
    else:
        raise ValueError(mode)
    return wrap(r.detach())


def floor(x):
    return wrap(torch.floor(_t(x)).detach())


def ceil(x):
    return wrap(torch.ceil(_t(x)).detach())


def _bin(x, y):
    x, y = _t(x), _t(y)
    return x, y


class _TieBoth(torch.autograd.Function):
    """Theano Maximum/Minimum: gz * eq(out, x) to x and gz * eq(out, y) to y."""

    @staticmethod
    def forward(ctx, x, y, take_max):
        out = torch.maximum(x, y) if take_max else torch.minimum(x, y)
        ctx.save_for_backward(x, y, out)
        return out

    @staticmethod
    def backward(ctx, gz):
        x, y, out = ctx.saved_tensors
        gx = gz * (out == x).to(gz.dtype)
        gy = gz * (out == y).to(gz.dtype)
        gx = _sum_to(gx, x.shape)
        gy = _sum_to(gy, y.shape)
        return gx, gy, None


def _sum_to(g, shape):
    while g.dim() > len(shape):
        g = g.sum(0)
    for i, s in enumerate(shape):
        if s == 1 and g.shape[i] != 1:
            g = g.sum(i, keepdim=True)
    return g


def maximum(x, y):
    x, y = _bin(x, y)
    dt = torch.promote_types(x.dtype, y.dtype)
    return wrap(_TieBoth.apply(x.to(dt), y.to(dt), True))


def minimum(x, y):
    x, y = _bin(x, y)
    dt = torch.promote_types(x.dtype, y.dtype)
    return wrap(_TieBoth.apply(x.to(dt), y.to(dt), False))


def clip(x, min, max):
    x = _t(x)
    return wrap(torch.clamp(x, builtins.float(plain(min)) if not isinstance(min, torch.Tensor) else plain(min),
                            builtins.float(plain(max)) if not isinstance(max, torch.Tensor) else plain(max)))


def eq(a, b):
    a, b = _bin(a, b)
    return wrap(torch.eq(a, b))


def neq(a, b):
    a, b = _bin(a, b)
    return wrap(torch.ne(a, b))


def gt(a, b):
    a, b = _bin(a, b)
    return wrap(torch.gt(a, b))


def ge(a, b):
    a, b = _bin(a, b)
    return wrap(torch.ge(a, b))


def lt(a, b):
    a, b = _bin(a, b)
    return wrap(torch.lt(a, b))


def le(a, b):
    a, b = _bin(a, b)
    return wrap(torch.le(a, b))


def and_(a, b):
    a, b = _bin(a, b)
    return wrap(a & b)


def or_(a, b):
    a, b = _bin(a, b)
    return wrap(a | b)


def switch(cond, ift, iff):
    c, a, b = _t(cond), _t(ift), _t(iff)
    if c.dtype != torch.bool:
        c = c != 0
    dt = torch.promote_types(a.dtype, b.dtype)
    return wrap(torch.where(c, a.to(dt), b.to(dt)))


def zeros_like(x, dtype=None):
    x = _t(x)
    return wrap(torch.zeros_like(x, dtype=_dtype(dtype) if dtype else x.dtype))


def ones_like(x, dtype=None):
    x = _t(x)
    return wrap(torch.ones_like(x, dtype=_dtype(dtype) if dtype else x.dtype))


def arange(start, stop=None, step=1, dtype=None):
    if stop is None:
        start, stop = 0, start
    vals = [plain(v).item() if isinstance(v, torch.Tensor) else v for v in (start, stop, step)]
    return wrap(torch.arange(*vals, dtype=_dtype(dtype) if dtype else torch.int64))


def concatenate(tensor_list, axis=0):
    ts = [_t(t) for t in tensor_list]
    return wrap(torch.cat(ts, dim=axis))


def stack(tensors, axis=0):
    ts = [_t(t) for t in tensors]
    return wrap(torch.stack(ts, dim=axis))


def dot(a, b):
    a, b = _bin(a, b)
    return wrap(torch.matmul(a, b))


def constant(x, name=None, ndim=None, dtype=None):
    t = as_tensor_variable(x)
    if dtype is not None:
        t = t.to(_dtype(dtype))
    return wrap(t)


def shape(x):
    return wrap(torch.tensor(list(_t(x).shape), dtype=torch.int64))


# ------------------------------------------------------------ nnet

def sigmoid(x):
    return wrap(torch.sigmoid(_t(x)))


def softplus(x):
    return wrap(torch.nn.functional.softplus(_t(x)))


def relu(x, alpha=0):
    x = _t(x)
    if alpha == 0:
        return wrap(0.5 * (x + torch.abs(x)))  # theano.tensor.nnet.relu formula
    f1 = 0.5 * (1 + alpha)
    f2 = 0.5 * (1 - alpha)
    return wrap(f1 * x + f2 * torch.abs(x))


def softmax(c):
    c = _t(c)
    if c.dim() not in (1, 2):
        raise ValueError(f"theano shim: softmax input must be a vector or a matrix, got {c.dim()}-D")
    return wrap(torch.softmax(c, dim=-1))


def logsoftmax(c):
    c = _t(c)
    if c.dim() not in (1, 2):
        raise ValueError(f"theano shim: logsoftmax input must be a vector or a matrix, got {c.dim()}-D")
    return wrap(torch.log_softmax(c, dim=-1))


def categorical_crossentropy(coding_dist, true_dist):
    coding = _t(coding_dist)
    true = _t(true_dist)
    if true.dim() == coding.dim():
        return wrap(-torch.sum(true * torch.log(coding), dim=coding.dim() - 1))
    if true.dim() == coding.dim() - 1:
        return crossentropy_categorical_1hot(coding, true)
    raise TypeError("theano shim: rank mismatch between coding and true distributions")


def crossentropy_categorical_1hot(coding_dist, true_idx):
    coding = _t(coding_dist)
    idx = _t(true_idx)
    if coding.dim() != 2 or idx.dim() != 1:
        raise TypeError("theano shim: crossentropy_categorical_1hot needs a matrix and a vector")
    if idx.dtype.is_floating_point or idx.dtype == torch.bool:
        raise TypeError("theano shim: integer targets required")
    picked = coding[torch.arange(coding.shape[0]), idx.to(torch.int64)]
    return wrap(-torch.log(picked))


def binary_crossentropy(output, target):
    output, target = _t(output), _t(target)
    return wrap(-(target * torch.log(output) + (1.0 - target) * torch.log(1.0 - output)))


def sigmoid_binary_crossentropy(output, target):
    output, target = _t(output), _t(target)
    return wrap(torch.nn.functional.softplus(-output) * target
                + torch.nn.functional.softplus(output) * (1.0 - target))


def to_one_hot(y, nb_class, dtype=None):
    y = _t(y)
    if y.dim() != 1:
        raise TypeError("theano shim: to_one_hot needs a vector")
    out = torch.zeros((y.shape[0], int(nb_class)), dtype=_dtype(dtype) if dtype else _dtype("floatX"))
    out[torch.arange(y.shape[0]), y.to(torch.int64)] = 1
    return wrap(out)


# ------------------------------------------------------------ module assembly

_TENSOR_NAMES = """sum mean prod max min argmax flatten reshape cast log log1p exp sqrt sqr
abs_ tanh cosh neg inv sgn pow round floor ceil maximum minimum clip eq neq gt ge lt le
and_ or_ switch zeros_like ones_like arange concatenate stack dot constant shape
as_tensor_variable""".split()

_NNET_NAMES = """sigmoid softplus relu softmax logsoftmax categorical_crossentropy
crossentropy_categorical_1hot binary_crossentropy sigmoid_binary_crossentropy""".split()


class _Config:
    floatX = "float32"
    device = "cpu"


def build():
    g = globals()
    tensor = types.ModuleType("theano.tensor")
    for n in _TENSOR_NAMES:
        setattr(tensor, n, g[n])
    tensor.TensorVariable = TensorVariable
    tensor.abs = abs_
    nnet = types.ModuleType("theano.tensor.nnet")
    for n in _NNET_NAMES:
        setattr(nnet, n, g[n])
    extra_ops = types.ModuleType("theano.tensor.extra_ops")
    extra_ops.to_one_hot = to_one_hot
    tensor.nnet = nnet
    tensor.extra_ops = extra_ops
    tensor.tanh = tanh
    theano = types.ModuleType("theano")
    theano.tensor = tensor
    theano.config = _Config()
    theano.__version__ = "1.0.5"
    return {"theano": theano, "theano.tensor": tensor, "theano.tensor.nnet": nnet,
            "theano.tensor.extra_ops": extra_ops}
