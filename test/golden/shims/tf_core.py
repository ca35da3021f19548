"""TensorFlow 2.x eager semantics on torch tensors.

Only the ops the fixtures use are here, each written to match TensorFlow's
documented behaviour:

* dtypes are never promoted: a binary op between tensors of different dtypes,
  a Python float with an integer tensor, or arithmetic on bool tensors raises
  TypeError, as TF does ("cannot compute Mul as input #1 was expected to be a
  float tensor but is a int64 tensor").  Python scalars take the tensor's
  dtype; bare Python ints become int32 and floats float32.
* gradients follow TF's registered gradient functions: Round/Floor/Ceil,
  ArgMax, comparisons, casts to or from non-float types and StopGradient carry
  no gradient (``None`` in TF, ``detach`` here); Maximum/Minimum send the
  gradient of a tie to the first argument; ClipByValue passes it at the
  bounds; SoftmaxCrossEntropyWithLogits uses TF's kernel gradient
  ``softmax(logits) - labels``.
* integer true division casts to float64, ``reduce_mean`` of an integer tensor
  truncates, ``argmax`` defaults to ``axis=0``, ``one_hot`` gives zero rows for
  out-of-range indices.

Tensors are instances of :class:`Tensor`, a torch.Tensor subclass.  Shim
functions unwrap to plain torch tensors, compute, and wrap the result, so the
autograd graph is torch's own.
"""

import builtins
import math

import numpy as _real_np
import torch

float16 = torch.float16
float32 = torch.float32
float64 = torch.float64
bfloat16 = torch.bfloat16
int8 = torch.int8
int16 = torch.int16
int32 = torch.int32
int64 = torch.int64
uint8 = torch.uint8
bool_ = torch.bool
double = float64
half = float16

_DTYPE_NAMES = {
    "float16": float16, "half": float16, "float32": float32, "float": float32,
    "float64": float64, "double": float64, "int8": int8, "int16": int16,
    "int32": int32, "int64": int64, "uint8": uint8, "bool": bool_,
}


# Precision probe (used by make_golden.py): run the same fixture with every
# float32 replaced by float64 to measure how much float32 rounding moves the
# result.  Off for the golden values themselves.
PROBE_FLOAT64 = False


def as_dtype(d):
    r = _as_dtype_raw(d)
    if PROBE_FLOAT64 and r == torch.float32:
        return torch.float64
    return r


def _as_dtype_raw(d):
    if d is None:
        return None
    if isinstance(d, torch.dtype):
        return d
    if isinstance(d, str):
        if d not in _DTYPE_NAMES:
            raise TypeError(f"tensorflow shim: unknown dtype {d!r}")
        return _DTYPE_NAMES[d]
    if d is builtins.float:
        return float32
    if d is builtins.int:
        return int32
    if d is builtins.bool:
        return bool_
    if isinstance(d, type) and issubclass(d, _real_np.generic):
        return _DTYPE_NAMES[_real_np.dtype(d).name]
    if isinstance(d, _real_np.dtype):
        return _DTYPE_NAMES[d.name]
    raise TypeError(f"tensorflow shim: unknown dtype {d!r}")


def _is_float(dt):
    return dt.is_floating_point


def _is_int(dt):
    return (not dt.is_floating_point) and dt != torch.bool and not dt.is_complex


class TensorShape(tuple):
    """tf.TensorShape for fully known shapes (eager)."""

    def as_list(self):
        return list(self)

    @property
    def rank(self):
        return len(self)

    @property
    def ndims(self):
        return len(self)

    def num_elements(self):
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, key):
        r = tuple.__getitem__(self, key)
        return TensorShape(r) if isinstance(key, slice) else r

    def is_compatible_with(self, other):
        return tuple(self) == tuple(other)

    def assert_is_compatible_with(self, other):
        if tuple(self) != tuple(other):
            raise ValueError(f"Shapes {tuple(self)} and {tuple(other)} are incompatible")

    def __repr__(self):
        return f"TensorShape({list(self)})"


_ARITH = {"add", "sub", "mul", "div", "pow", "__rsub__", "__rdiv__", "__rtruediv__",
          "__rpow__", "floor_divide", "__rfloordiv__", "remainder", "__rmod__",
          "matmul", "__rmatmul__", "true_divide", "multiply", "subtract"}
_COMPARE = {"gt", "ge", "lt", "le", "eq", "ne", "greater", "less", "greater_equal",
            "less_equal", "not_equal"}
_DIVS = {"div", "__rdiv__", "__rtruediv__", "true_divide"}


def _check_pair(opname, a, b):
    """TF's rule for the two operands of a binary op; returns the common dtype."""
    ta, tb = isinstance(a, torch.Tensor), isinstance(b, torch.Tensor)
    if ta and tb:
        if a.dtype != b.dtype:
            raise TypeError(
                f"tensorflow shim: {opname} between {a.dtype} and {b.dtype} tensors "
                "(TensorFlow does not promote dtypes)")
        dt = a.dtype
    elif ta or tb:
        t, s = (a, b) if ta else (b, a)
        dt = t.dtype
        if isinstance(s, bool):
            if dt != torch.bool:
                raise TypeError(f"tensorflow shim: {opname} of a {dt} tensor with a Python bool")
        elif isinstance(s, float):
            if not _is_float(dt):
                raise TypeError(
                    f"tensorflow shim: {opname} of a {dt} tensor with a Python float "
                    "(TensorFlow cannot convert the float to the tensor's dtype)")
        elif isinstance(s, int):
            if dt == torch.bool:
                raise TypeError(f"tensorflow shim: {opname} of a bool tensor with a Python int")
        elif isinstance(s, (_real_np.ndarray, _real_np.generic)):
            if as_dtype(s.dtype) != dt:
                raise TypeError(f"tensorflow shim: {opname} of a {dt} tensor with a {s.dtype} array")
    else:
        return None
    if dt == torch.bool and opname in _ARITH:
        raise TypeError(f"tensorflow shim: {opname} is not defined for bool tensors")
    return dt


class Tensor(torch.Tensor):
    """An eager tf.Tensor."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        if (name in _ARITH or name in _COMPARE) and len(args) == 2 and not kwargs:
            a, b = args
            dt = _check_pair(name, a, b)
            if name in _DIVS and dt is not None and (_is_int(dt)):
                # TF true division of integers casts both sides to float64
                a = a.to(torch.float64) if isinstance(a, torch.Tensor) else builtins.float(a)
                b = b.to(torch.float64) if isinstance(b, torch.Tensor) else builtins.float(b)
                args = (a, b)
        if name == "__getitem__":
            _check_index(args[1])
        return super().__torch_function__(func, types, args, kwargs)

    @property
    def shape(self):
        return TensorShape(torch.Tensor.shape.__get__(self))

    def get_shape(self):
        return self.shape

    def numpy(self):
        return plain(self).detach().cpu().numpy()

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

    def __ifloordiv__(self, other):
        return self // other

    def __repr__(self):
        return "<tf.Tensor " + repr(plain(self).detach()) + ">"

    __str__ = __repr__


def _check_index(idx):
    items = idx if isinstance(idx, tuple) else (idx,)
    for it in items:
        if isinstance(it, torch.Tensor):
            if it.dim() != 0 or not _is_int(it.dtype):
                raise TypeError("tensorflow shim: only integers, slices, ellipsis, "
                                "tf.newaxis and scalar int tensors are valid indices")
        elif isinstance(it, (list, _real_np.ndarray)):
            raise TypeError("tensorflow shim: list/array indices are not valid in TF")


def plain(x):
    if isinstance(x, torch.Tensor) and type(x) is not torch.Tensor:
        return x.as_subclass(torch.Tensor)
    return x


def wrap(x):
    if isinstance(x, torch.Tensor):
        return x.as_subclass(Tensor)
    if isinstance(x, (list, tuple)):
        return type(x)(wrap(v) for v in x)
    return x


def is_tensor(x):
    return isinstance(x, torch.Tensor)


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """tf.convert_to_tensor (returns a plain torch tensor)."""
    dtype = as_dtype(dtype)
    if isinstance(value, torch.Tensor):
        if dtype is not None and value.dtype != dtype:
            raise ValueError(f"tensorflow shim: tensor of dtype {value.dtype} "
                             f"requested as {dtype}")
        return plain(value)
    if isinstance(value, (list, tuple)) and any(isinstance(v, torch.Tensor) for v in _flatten_list(value)):
        return plain(stack([convert_to_tensor(v, dtype) for v in value]))
    if isinstance(value, (_real_np.ndarray, _real_np.generic)):
        t = torch.from_numpy(_real_np.array(value))
        if dtype is not None:
            t = t.to(dtype)
        return t
    if dtype is None:
        dtype = as_dtype(dtype_hint) if dtype_hint is not None else None
    arr = _real_np.array(value)
    if dtype is None:
        if arr.dtype.kind == "f":
            dtype = as_dtype(float32)
        elif arr.dtype.kind in "iu":
            dtype = int32
        elif arr.dtype.kind == "b":
            dtype = bool_
        else:
            raise TypeError(f"tensorflow shim: cannot convert {value!r}")
    else:
        if arr.dtype.kind == "f" and not _is_float(dtype):
            raise TypeError(f"tensorflow shim: cannot convert {value!r} to {dtype}")
    return torch.tensor(arr.tolist(), dtype=dtype)


def _flatten_list(v):
    if isinstance(v, (list, tuple)):
        for x in v:
            yield from _flatten_list(x)
    else:
        yield v


def _pair(x, y, opname):
    """Convert two operands the way TF's binary op wrappers do."""
    if isinstance(x, torch.Tensor) and not isinstance(y, torch.Tensor):
        _check_pair(opname, x, y)
        x = plain(x)
        y = convert_to_tensor(y, dtype=x.dtype)
    elif isinstance(y, torch.Tensor) and not isinstance(x, torch.Tensor):
        _check_pair(opname, x, y)
        y = plain(y)
        x = convert_to_tensor(x, dtype=y.dtype)
    elif isinstance(x, torch.Tensor) and isinstance(y, torch.Tensor):
        _check_pair(opname, x, y)
        x, y = plain(x), plain(y)
    else:
        x = convert_to_tensor(x)
        y = convert_to_tensor(y, dtype=x.dtype)
    return x, y


def constant(value, dtype=None, shape=None, name=None):
    t = convert_to_tensor(value, dtype=None) if dtype is None else _const_with_dtype(value, as_dtype(dtype))
    if shape is not None:
        t = t.reshape(()).expand(tuple(shape)).clone() if t.numel() == 1 else t.reshape(tuple(shape))
    return wrap(t)


def _const_with_dtype(value, dtype):
    if isinstance(value, torch.Tensor):
        return plain(value).to(dtype)
    return torch.tensor(_real_np.array(value).tolist(), dtype=dtype)


# ---------------------------------------------------------------- helpers

def _axes(x, axis):
    """Normalise a TF ``axis`` argument to a sorted list of non-negative ints."""
    nd = x.dim()
    if axis is None:
        return list(builtins.range(nd))
    if isinstance(axis, torch.Tensor):
        axis = plain(axis).tolist()
    if isinstance(axis, (list, tuple)):
        out = []
        for a in axis:
            a = int(a)
            if not -nd <= a < nd:
                raise ValueError(f"tensorflow shim: axis {a} out of range for rank {nd}")
            out.append(a % nd)
        return sorted(set(out))
    a = int(axis)
    if not -nd <= a < nd:
        raise ValueError(f"tensorflow shim: axis {a} out of range for rank {nd}")
    return [a % nd]


def _int_shape_list(shape):
    if isinstance(shape, torch.Tensor):
        return [int(v) for v in plain(shape).reshape(-1).tolist()]
    if isinstance(shape, (int,)):
        return [shape]
    return [int(plain(s)) if isinstance(s, torch.Tensor) else int(s) for s in shape]


def _float_only(x, opname):
    if not _is_float(x.dtype):
        raise TypeError(f"tensorflow shim: {opname} needs a float tensor, got {x.dtype}")


def _unary(fn, opname, floats_only=True):
    def op(x, name=None):
        x = convert_to_tensor(x)
        if floats_only:
            _float_only(x, opname)
        return wrap(fn(x))
    op.__name__ = opname
    return op


# ---------------------------------------------------------------- math

log = _unary(torch.log, "log")
log1p = _unary(torch.log1p, "log1p")
exp = _unary(torch.exp, "exp")
sqrt = _unary(torch.sqrt, "sqrt")
rsqrt = _unary(torch.rsqrt, "rsqrt")
sigmoid = _unary(torch.sigmoid, "sigmoid")
tanh = _unary(torch.tanh, "tanh")
cosh = _unary(torch.cosh, "cosh")
sinh = _unary(torch.sinh, "sinh")
softplus = _unary(torch.nn.functional.softplus, "softplus")
log_sigmoid = _unary(torch.nn.functional.logsigmoid, "log_sigmoid")
reciprocal = _unary(torch.reciprocal, "reciprocal")
square = _unary(torch.square, "square", floats_only=False)
abs = _unary(torch.abs, "abs", floats_only=False)
negative = _unary(torch.neg, "negative", floats_only=False)
sign = _unary(torch.sign, "sign", floats_only=False)  # TF: Sign gradient is zeros
relu = _unary(torch.relu, "relu", floats_only=False)
# TF registers no gradient for Round, Floor and Ceil: the result is disconnected.
round = _unary(lambda t: torch.round(t).detach(), "round", floats_only=False)
floor = _unary(lambda t: torch.floor(t).detach(), "floor")
ceil = _unary(lambda t: torch.ceil(t).detach(), "ceil")
is_nan = _unary(torch.isnan, "is_nan")
is_inf = _unary(torch.isinf, "is_inf")
is_finite = _unary(torch.isfinite, "is_finite")


def _binary(fn, opname):
    def op(x, y, name=None):
        a, b = _pair(x, y, opname)
        return wrap(fn(a, b))
    op.__name__ = opname
    return op


def _tf_divide(a, b):
    if _is_int(a.dtype):
        a, b = a.to(torch.float64), b.to(torch.float64)
    return torch.div(a, b)


add = _binary(torch.add, "add")
subtract = _binary(torch.sub, "subtract")
multiply = _binary(torch.mul, "multiply")
divide = _binary(_tf_divide, "divide")
truediv = divide
realdiv = _binary(torch.div, "realdiv")
floordiv = _binary(torch.floor_divide, "floordiv")
squared_difference = _binary(lambda a, b: torch.square(a - b), "squared_difference")
equal = _binary(torch.eq, "equal")
not_equal = _binary(torch.ne, "not_equal")
greater = _binary(torch.gt, "greater")
greater_equal = _binary(torch.ge, "greater_equal")
less = _binary(torch.lt, "less")
less_equal = _binary(torch.le, "less_equal")


def _bool_binary(fn, opname):
    def op(x, y, name=None):
        a, b = convert_to_tensor(x), convert_to_tensor(y)
        if a.dtype != torch.bool or b.dtype != torch.bool:
            raise TypeError(f"tensorflow shim: {opname} needs bool tensors")
        return wrap(fn(a, b))
    op.__name__ = opname
    return op


logical_and = _bool_binary(torch.logical_and, "logical_and")
logical_or = _bool_binary(torch.logical_or, "logical_or")


def logical_not(x, name=None):
    x = convert_to_tensor(x)
    if x.dtype != torch.bool:
        raise TypeError("tensorflow shim: logical_not needs a bool tensor")
    return wrap(torch.logical_not(x))


def _tf_maximum(a, b):
    # MaximumGrad: xmask = x >= y, so ties send the gradient to x
    return torch.where(a >= b, a, b)


def _tf_minimum(a, b):
    return torch.where(a <= b, a, b)


maximum = _binary(_tf_maximum, "maximum")
minimum = _binary(_tf_minimum, "minimum")


def pow(x, y, name=None):
    a, b = _pair(x, y, "pow")
    return wrap(torch.pow(a, b))


def divide_no_nan(x, y, name=None):
    a, b = _pair(x, y, "divide_no_nan")
    _float_only(a, "divide_no_nan")
    zero = b == 0
    safe = torch.where(zero, torch.ones_like(b), b)
    return wrap(torch.where(zero, torch.zeros_like(a / safe), a / safe))


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    # tf.clip_by_value is minimum(values, max) then maximum(., min)
    t = convert_to_tensor(t)
    lo = convert_to_tensor(clip_value_min, dtype=t.dtype)
    hi = convert_to_tensor(clip_value_max, dtype=t.dtype)
    return wrap(_tf_maximum(_tf_minimum(t, hi), lo))


def cast(x, dtype, name=None):
    x = convert_to_tensor(x)
    dtype = as_dtype(dtype)
    if x.dtype == dtype:
        return wrap(x)
    if _is_float(x.dtype) and _is_float(dtype):
        return wrap(x.to(dtype))  # CastGrad passes float -> float
    if _is_float(x.dtype) and dtype == torch.bool:
        return wrap((x != 0).detach())
    return wrap(x.to(dtype).detach())  # CastGrad returns None otherwise


def stop_gradient(x, name=None):
    return wrap(convert_to_tensor(x).detach())


def identity(x, name=None):
    return wrap(convert_to_tensor(x))


def where(condition, x=None, y=None, name=None):
    c = convert_to_tensor(condition)
    if c.dtype != torch.bool:
        raise TypeError("tensorflow shim: tf.where condition must be bool")
    if x is None and y is None:
        return wrap(torch.nonzero(c).to(torch.int64))
    a, b = _pair(x, y, "where")
    return wrap(torch.where(c, a, b))


# ---------------------------------------------------------------- reductions

def _reduce(kind):
    def op(input_tensor, axis=None, keepdims=False, name=None, **kw):
        if "keep_dims" in kw:
            keepdims = kw.pop("keep_dims")
        if "reduction_indices" in kw:
            axis = kw.pop("reduction_indices")
        if kw:
            raise TypeError(f"tensorflow shim: reduce_{kind} got {sorted(kw)}")
        x = convert_to_tensor(input_tensor)
        dims = _axes(x, axis)
        if kind in ("sum", "mean", "prod", "max", "min", "std", "variance", "logsumexp"):
            if x.dtype == torch.bool:
                raise TypeError(f"tensorflow shim: reduce_{kind} is not defined for bool tensors")
        if kind in ("any", "all") and x.dtype != torch.bool:
            raise TypeError(f"tensorflow shim: reduce_{kind} needs a bool tensor")
        if not dims:
            return wrap(x)
        if kind == "sum":
            r = torch.sum(x, dim=dims, keepdim=keepdims, dtype=x.dtype)
        elif kind == "mean":
            if _is_float(x.dtype):
                r = torch.mean(x, dim=dims, keepdim=keepdims)
            else:
                n = 1
                for d in dims:
                    n *= x.shape[d]
                s = torch.sum(x, dim=dims, keepdim=keepdims, dtype=x.dtype)
                r = torch.div(s, n, rounding_mode="trunc").to(x.dtype)
        elif kind == "max":
            r = torch.amax(x, dim=dims, keepdim=keepdims)
        elif kind == "min":
            r = torch.amin(x, dim=dims, keepdim=keepdims)
        elif kind == "prod":
            r = x
            for d in sorted(dims, reverse=True):
                r = torch.prod(r, dim=d, keepdim=keepdims)
        elif kind == "any":
            r = x
            for d in sorted(dims, reverse=True):
                r = torch.any(r, dim=d, keepdim=keepdims)
        elif kind == "all":
            r = x
            for d in sorted(dims, reverse=True):
                r = torch.all(r, dim=d, keepdim=keepdims)
        elif kind == "variance":
            m = torch.mean(x, dim=dims, keepdim=True)
            r = torch.mean(torch.square(x - m), dim=dims, keepdim=keepdims)
        elif kind == "std":
            m = torch.mean(x, dim=dims, keepdim=True)
            r = torch.sqrt(torch.mean(torch.square(x - m), dim=dims, keepdim=keepdims))
        elif kind == "logsumexp":
            r = torch.logsumexp(x, dim=dims, keepdim=keepdims)
        else:
            raise AssertionError(kind)
        return wrap(r)
    op.__name__ = "reduce_" + kind
    return op


reduce_sum = _reduce("sum")
reduce_mean = _reduce("mean")
reduce_max = _reduce("max")
reduce_min = _reduce("min")
reduce_prod = _reduce("prod")
reduce_any = _reduce("any")
reduce_all = _reduce("all")
reduce_variance = _reduce("variance")
reduce_std = _reduce("std")
reduce_logsumexp = _reduce("logsumexp")


def count_nonzero(input, axis=None, keepdims=False, dtype=int64, name=None):
    x = convert_to_tensor(input)
    nz = (x != 0) if x.dtype != torch.bool else x
    dims = _axes(x, axis)
    if not dims:
        return wrap(nz.to(as_dtype(dtype)))
    return wrap(torch.sum(nz, dim=dims, keepdim=keepdims).to(as_dtype(dtype)))


def argmax(input, axis=None, output_type=int64, name=None):
    x = convert_to_tensor(input)
    if axis is None:
        axis = 0  # tf.math.argmax: "If None, defaults to 0"
    return wrap(torch.argmax(x, dim=int(axis)).to(as_dtype(output_type)).detach())


def argmin(input, axis=None, output_type=int64, name=None):
    x = convert_to_tensor(input)
    if axis is None:
        axis = 0
    return wrap(torch.argmin(x, dim=int(axis)).to(as_dtype(output_type)).detach())


# ---------------------------------------------------------------- shapes

def shape(input, out_type=int32, name=None):
    x = convert_to_tensor(input)
    return wrap(torch.tensor(list(x.shape), dtype=as_dtype(out_type)))


def size(input, out_type=int32, name=None):
    x = convert_to_tensor(input)
    return wrap(torch.tensor(x.numel(), dtype=as_dtype(out_type)))


def rank(input, name=None):
    x = convert_to_tensor(input)
    return wrap(torch.tensor(x.dim(), dtype=int32))


def reshape(tensor, shape, name=None):
    x = convert_to_tensor(tensor)
    return wrap(torch.reshape(x, _int_shape_list(shape)))


def transpose(a, perm=None, conjugate=False, name=None):
    x = convert_to_tensor(a)
    if perm is None:
        perm = list(builtins.range(x.dim()))[::-1]
    return wrap(x.permute(*_int_shape_list(perm)))


def squeeze(input, axis=None, name=None):
    x = convert_to_tensor(input)
    if axis is None:
        return wrap(torch.squeeze(x))
    dims = _axes(x, axis)
    for d in dims:
        if x.shape[d] != 1:
            raise ValueError(f"tensorflow shim: cannot squeeze dim {d} of size {x.shape[d]}")
    for d in sorted(dims, reverse=True):
        x = x.squeeze(d)
    return wrap(x)


def expand_dims(input, axis, name=None):
    x = convert_to_tensor(input)
    axis = int(axis)
    if not -x.dim() - 1 <= axis <= x.dim():
        raise ValueError("tensorflow shim: expand_dims axis out of range")
    return wrap(torch.unsqueeze(x, axis))


def _same_dtype(ts, opname):
    ts = [convert_to_tensor(t) for t in ts]
    for t in ts[1:]:
        if t.dtype != ts[0].dtype:
            raise TypeError(f"tensorflow shim: {opname} of tensors with dtypes {ts[0].dtype} and {t.dtype}")
    return ts


def concat(values, axis, name="concat"):
    ts = _same_dtype(values, "concat")
    return wrap(torch.cat(ts, dim=int(axis)))


def stack(values, axis=0, name="stack"):
    ts = _same_dtype(values, "stack")
    return wrap(torch.stack(ts, dim=int(axis)))


def unstack(value, num=None, axis=0, name="unstack"):
    x = convert_to_tensor(value)
    return [wrap(t) for t in torch.unbind(x, dim=int(axis))]


def gather(params, indices, axis=None, batch_dims=0, name=None):
    x = convert_to_tensor(params)
    idx = convert_to_tensor(indices)
    if not _is_int(idx.dtype):
        raise TypeError("tensorflow shim: gather indices must be integers")
    axis = 0 if axis is None else int(axis) % x.dim()
    flat = idx.reshape(-1).to(torch.int64)
    out = torch.index_select(x, axis, flat)
    new_shape = list(x.shape[:axis]) + list(idx.shape) + list(x.shape[axis + 1:])
    return wrap(out.reshape(new_shape))


def ones_like(input, dtype=None, name=None):
    x = convert_to_tensor(input)
    return wrap(torch.ones_like(x, dtype=as_dtype(dtype) or x.dtype))


def zeros_like(input, dtype=None, name=None):
    x = convert_to_tensor(input)
    return wrap(torch.zeros_like(x, dtype=as_dtype(dtype) or x.dtype))


def ones(shape, dtype=float32, name=None):
    return wrap(torch.ones(_int_shape_list(shape), dtype=as_dtype(dtype)))


def zeros(shape, dtype=float32, name=None):
    return wrap(torch.zeros(_int_shape_list(shape), dtype=as_dtype(dtype)))


def fill(dims, value, name=None):
    v = convert_to_tensor(value)
    return wrap(v.expand(_int_shape_list(dims)).clone())


def range(start, limit=None, delta=1, dtype=None, name="range"):
    if limit is None:
        start, limit = 0, start
    vals = [start, limit, delta]
    vals = [plain(v).item() if isinstance(v, torch.Tensor) else v for v in vals]
    if dtype is None:
        dtype = float32 if any(isinstance(v, builtins.float) for v in vals) else int32
    return wrap(torch.arange(vals[0], vals[1], vals[2], dtype=as_dtype(dtype)))


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    idx = convert_to_tensor(indices)
    if idx.dtype not in (torch.uint8, torch.int32, torch.int64):
        raise TypeError(f"tensorflow shim: one_hot indices must be uint8/int32/int64, got {idx.dtype}")
    depth = int(plain(depth)) if isinstance(depth, torch.Tensor) else int(depth)
    if dtype is None:
        if on_value is not None and isinstance(on_value, torch.Tensor):
            dtype = on_value.dtype
        elif off_value is not None and isinstance(off_value, torch.Tensor):
            dtype = off_value.dtype
        else:
            dtype = float32
    dtype = as_dtype(dtype)
    on = 1 if on_value is None else on_value
    off = 0 if off_value is None else off_value
    hit = idx.to(torch.int64).unsqueeze(-1) == torch.arange(depth, dtype=torch.int64)
    out = torch.where(hit, torch.tensor(on, dtype=dtype), torch.tensor(off, dtype=dtype))
    if axis is not None and axis != -1:
        out = torch.movedim(out, -1, int(axis))
    return wrap(out)


def einsum(equation, *inputs, **kwargs):
    ts = _same_dtype(inputs, "einsum")
    return wrap(torch.einsum(equation, *ts))


def matmul(a, b, transpose_a=False, transpose_b=False, name=None, **kw):
    a, b = _same_dtype([a, b], "matmul")
    if transpose_a:
        a = a.transpose(-1, -2)
    if transpose_b:
        b = b.transpose(-1, -2)
    return wrap(torch.matmul(a, b))


def tensordot(a, b, axes, name=None):
    a, b = _same_dtype([a, b], "tensordot")
    return wrap(torch.tensordot(a, b, dims=axes))


# ---------------------------------------------------------------- nn

def softmax(logits, axis=None, name=None):
    x = convert_to_tensor(logits)
    _float_only(x, "softmax")
    return wrap(torch.softmax(x, dim=-1 if axis is None else int(axis)))


def log_softmax(logits, axis=None, name=None):
    x = convert_to_tensor(logits)
    _float_only(x, "log_softmax")
    return wrap(torch.log_softmax(x, dim=-1 if axis is None else int(axis)))


class _SoftmaxXent(torch.autograd.Function):
    """SoftmaxCrossEntropyWithLogits on the last axis, with TF's kernel gradient:
    d/dlogits = grad * (softmax(logits) - labels)   (not rescaled by sum(labels))
    d/dlabels = grad * -log_softmax(logits)."""

    @staticmethod
    def forward(ctx, labels, logits):
        logp = torch.log_softmax(logits, dim=-1)
        ctx.save_for_backward(labels, logp)
        return -(labels * logp).sum(dim=-1)

    @staticmethod
    def backward(ctx, grad):
        labels, logp = ctx.saved_tensors
        g = grad.unsqueeze(-1)
        return g * -logp, g * (torch.exp(logp) - labels)


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None, dim=None):
    if dim is not None:
        axis = dim
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels)
    if labels.dtype != logits.dtype:
        raise TypeError("tensorflow shim: softmax_cross_entropy_with_logits labels/logits dtypes differ")
    _float_only(logits, "softmax_cross_entropy_with_logits")
    if tuple(labels.shape) != tuple(logits.shape):
        raise ValueError("tensorflow shim: labels and logits must have the same shape")
    axis = int(axis) % logits.dim()
    if axis != logits.dim() - 1:
        logits = torch.movedim(logits, axis, -1)
        labels = torch.movedim(labels, axis, -1)
    return wrap(_SoftmaxXent.apply(labels, logits))


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels)
    if not _is_int(labels.dtype):
        raise TypeError("tensorflow shim: sparse labels must be integers")
    if tuple(labels.shape) != tuple(logits.shape[:-1]):
        raise ValueError("tensorflow shim: sparse labels must have the shape of logits without the last axis")
    logp = torch.log_softmax(logits, dim=-1)
    return wrap(-torch.gather(logp, -1, labels.to(torch.int64).unsqueeze(-1)).squeeze(-1))


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    # written exactly as nn_impl.sigmoid_cross_entropy_with_logits so that the
    # gradient (including at logits == 0) is the one TF's autodiff produces
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels)
    if labels.dtype != logits.dtype:
        raise TypeError("tensorflow shim: sigmoid_cross_entropy_with_logits labels/logits dtypes differ")
    if tuple(labels.shape) != tuple(logits.shape):
        raise ValueError("tensorflow shim: logits and labels must have the same shape")
    zeros_ = torch.zeros_like(logits)
    cond = logits >= zeros_
    relu_logits = torch.where(cond, logits, zeros_)
    neg_abs_logits = torch.where(cond, -logits, logits)
    return wrap((relu_logits - logits * labels) + torch.log1p(torch.exp(neg_abs_logits)))


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels)
    log_weight = 1 + (pos_weight - 1) * labels
    return wrap((1 - labels) * logits + log_weight * (
        torch.log1p(torch.exp(-torch.abs(logits))) + torch.relu(-logits)))


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    x = convert_to_tensor(x)
    dims = _axes(x, axis if dim is None else dim)
    sq = torch.sum(torch.square(x), dim=dims, keepdim=True)
    return wrap(x * torch.rsqrt(_tf_maximum(sq, torch.tensor(epsilon, dtype=x.dtype))))


# ------------------------------------------------------------------ ordering

class TopKV2(tuple):
    """tf.math.top_k's result: (values, indices), also by name."""

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]


def top_k(input, k=1, sorted=True, name=None):
    """Largest k along the last axis; TF's TopKV2 gradient scatters dy back to the indices, as torch's."""
    x = convert_to_tensor(input)
    values, indices = torch.topk(x, int(k), dim=-1, largest=True, sorted=True)
    return TopKV2((wrap(values), wrap(indices.to(int32))))


def _direction(direction):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"{direction} should be one of ASCENDING, DESCENDING")
    return direction == "DESCENDING"


def sort(values, axis=-1, direction="ASCENDING", name=None):
    x = convert_to_tensor(values)
    return wrap(torch.sort(x, dim=int(axis), descending=_direction(direction), stable=True).values)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    x = convert_to_tensor(values)
    order = torch.sort(x, dim=int(axis), descending=_direction(direction), stable=True).indices
    return wrap(order.to(int32))


# ------------------------------------------------------------------ sparse tensors

class SparseTensor:
    """tf.SparseTensor(indices, values, dense_shape). Held with its dense form: the products with dense
    tensors TF computes on the stored values (sp * x keeps x at the indices) equal the dense products,
    and tf.sparse's reductions and reshapes equal their dense counterparts."""

    def __init__(self, indices, values, dense_shape):
        idx = convert_to_tensor(indices).to(torch.int64)
        vals = convert_to_tensor(values)
        shape = [int(d) for d in plain(convert_to_tensor(dense_shape)).tolist()]
        flat = torch.zeros(int(_real_np.prod(shape)), dtype=vals.dtype)
        strides = torch.tensor([int(_real_np.prod(shape[i + 1:])) for i in builtins.range(len(shape))])
        flat = flat.index_put((idx @ strides,), vals)
        self._dense = flat.reshape(shape)

    @staticmethod
    def _of(dense):
        sp = SparseTensor.__new__(SparseTensor)
        sp._dense = dense
        return sp

    def __mul__(self, other):
        other = convert_to_tensor(other)
        _check_pair("mul", wrap(self._dense), wrap(other))
        return SparseTensor._of(self._dense * other)

    __rmul__ = __mul__

    @property
    def dense_shape(self):
        return wrap(torch.tensor(list(self._dense.shape), dtype=int64))


def _sparse_to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    return wrap(sp_input._dense)


def _sparse_reshape(sp_input, shape, name=None):
    return SparseTensor._of(plain(reshape(wrap(sp_input._dense), shape)))


def _sparse_reduce_sum(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    return reduce_sum(wrap(sp_input._dense), axis=axis, keepdims=bool(keepdims))
