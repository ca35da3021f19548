"""keras.backend / tf.keras.backend (Keras 2, TensorFlow backend) on tf_core.

Each function follows the Keras 2 source (keras/backend.py as shipped with
TF 2.x), including its quirks:

* ``epsilon()`` is 1e-7, ``floatx()`` is 'float32';
* ``mean`` casts bool tensors to floatx first, ``sum`` does not (TF raises);
* ``sqrt`` clamps at 0 with ``tf.maximum`` before ``tf.sqrt``;
* ``clip`` swaps in ``max_value = min_value`` when max < min, None means +-inf;
* ``categorical_crossentropy(target, output, from_logits=False, axis=-1)``
  renormalises ``output`` to sum 1 along ``axis``, clips to
  [eps, 1 - eps] and returns ``-sum(target * log(output), axis)``;
* ``sparse_categorical_crossentropy`` clips, takes the log and feeds that to
  ``sparse_softmax_cross_entropy_with_logits``;
* ``binary_crossentropy`` clips to [eps, 1 - eps] and adds eps again inside
  both logs;
* ``round``/``argmax``/comparisons/int casts carry no gradient (TF).

The graph-mode shortcut where Keras recovers logits from a Softmax/Sigmoid op
(``_get_logits``) never applies here: the fixtures receive eager tensors.
"""

import numpy as _real_np
import torch

from . import tf_core as tf

_EPSILON = 1e-7
_FLOATX = "float32"


def epsilon():
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = float(value)


def floatx():
    return _FLOATX


def image_data_format():
    return "channels_last"


def backend():
    return "tensorflow"


def learning_phase():
    return 1


def _constant_to_tensor(x, dtype):
    return tf.constant(x, dtype=dtype)


def cast(x, dtype):
    return tf.cast(x, dtype)


def cast_to_floatx(x):
    if isinstance(x, torch.Tensor):
        return tf.cast(x, _FLOATX)
    return _real_np.asarray(x, dtype=_FLOATX)


def constant(value, dtype=None, shape=None, name=None):
    if dtype is None:
        dtype = _FLOATX
    return tf.constant(value, dtype=dtype, shape=shape)


def variable(value, dtype=None, name=None, constraint=None):
    if dtype is None:
        dtype = _FLOATX
    return tf.constant(value, dtype=dtype)


def is_tensor(x):
    return isinstance(x, torch.Tensor)


def shape(x):
    return tf.shape(x)


def int_shape(x):
    return tuple(tf.convert_to_tensor(x).shape)


def ndim(x):
    return tf.convert_to_tensor(x).dim()


def dtype(x):
    return str(tf.convert_to_tensor(x).dtype).replace("torch.", "")


def count_params(x):
    return tf.convert_to_tensor(x).numel()


# ------------------------------------------------------------ reductions

def sum(x, axis=None, keepdims=False):
    return tf.reduce_sum(x, axis, keepdims)


def prod(x, axis=None, keepdims=False):
    return tf.reduce_prod(x, axis, keepdims)


def max(x, axis=None, keepdims=False):
    return tf.reduce_max(x, axis, keepdims)


def min(x, axis=None, keepdims=False):
    return tf.reduce_min(x, axis, keepdims)


def mean(x, axis=None, keepdims=False):
    x = tf.convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = tf.cast(x, _FLOATX)
    return tf.reduce_mean(x, axis, keepdims)


def var(x, axis=None, keepdims=False):
    x = tf.convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = tf.cast(x, _FLOATX)
    return tf.reduce_variance(x, axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    x = tf.convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = tf.cast(x, _FLOATX)
    return tf.reduce_std(x, axis=axis, keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    x = tf.cast(x, "bool")
    return tf.reduce_any(x, axis, keepdims)


def all(x, axis=None, keepdims=False):
    x = tf.cast(x, "bool")
    return tf.reduce_all(x, axis, keepdims)


def argmax(x, axis=-1):
    return tf.argmax(x, axis)


def argmin(x, axis=-1):
    return tf.argmin(x, axis)


def cumsum(x, axis=0):
    x = tf.convert_to_tensor(x)
    return tf.wrap(torch.cumsum(x, dim=axis))


# ------------------------------------------------------------ elementwise

def square(x):
    return tf.square(x)


def abs(x):
    return tf.abs(x)


def sqrt(x):
    x = tf.convert_to_tensor(x)
    zero = _constant_to_tensor(0.0, x.dtype)
    x = tf.maximum(x, zero)
    return tf.sqrt(x)


def exp(x):
    return tf.exp(x)


def log(x):
    return tf.log(x)


def logsumexp(x, axis=None, keepdims=False):
    return tf.reduce_logsumexp(x, axis, keepdims)


def round(x):
    return tf.round(x)


def sign(x):
    return tf.sign(x)


def pow(x, a):
    return tf.pow(x, a)


def clip(x, min_value, max_value):
    if isinstance(min_value, (int, float)) and isinstance(max_value, (int, float)):
        if max_value < min_value:
            max_value = min_value
    if min_value is None:
        min_value = -_real_np.inf
    if max_value is None:
        max_value = _real_np.inf
    return tf.clip_by_value(x, min_value, max_value)


def equal(x, y):
    return tf.equal(x, y)


def not_equal(x, y):
    return tf.not_equal(x, y)


def greater(x, y):
    return tf.greater(x, y)


def greater_equal(x, y):
    return tf.greater_equal(x, y)


def less(x, y):
    return tf.less(x, y)


def less_equal(x, y):
    return tf.less_equal(x, y)


def maximum(x, y):
    return tf.maximum(x, y)


def minimum(x, y):
    return tf.minimum(x, y)


def sin(x):
    return tf.wrap(torch.sin(tf.convert_to_tensor(x)))


def cos(x):
    return tf.wrap(torch.cos(tf.convert_to_tensor(x)))


def stop_gradient(variables):
    if isinstance(variables, (list, tuple)):
        return [tf.stop_gradient(v) for v in variables]
    return tf.stop_gradient(variables)


def switch(condition, then_expression, else_expression):
    condition = tf.convert_to_tensor(condition)
    if condition.dtype != torch.bool:
        condition = tf.cast(condition, "bool")
    then_t = then_expression() if callable(then_expression) else then_expression
    else_t = else_expression() if callable(else_expression) else else_expression
    then_t = tf.convert_to_tensor(then_t)
    else_t = tf.convert_to_tensor(else_t)
    cond_ndim = condition.dim()
    if cond_ndim == 0:
        return tf.wrap(then_t if bool(condition) else else_t)
    expr_ndim = then_t.dim()
    if cond_ndim > expr_ndim:
        raise ValueError("Rank of `condition` should be less than or equal to rank of "
                         "`then_expression` and `else_expression`.")
    if cond_ndim < expr_ndim:
        shape_list = list(then_t.shape)
        cond = condition
        for _ in range(expr_ndim - cond_ndim):
            cond = cond.unsqueeze(-1)
        cond = cond.expand(shape_list)
        condition = cond
    return tf.where(condition, then_t, else_t)


# ------------------------------------------------------------ shapes

def reshape(x, shape):
    return tf.reshape(x, shape)


def flatten(x):
    return tf.reshape(x, [-1])


def batch_flatten(x):
    x = tf.convert_to_tensor(x)
    return tf.reshape(x, [x.shape[0], -1])


def permute_dimensions(x, pattern):
    return tf.transpose(x, perm=pattern)


def transpose(x):
    return tf.transpose(x)


def expand_dims(x, axis=-1):
    return tf.expand_dims(x, axis)


def squeeze(x, axis):
    return tf.squeeze(x, [axis])


def concatenate(tensors, axis=-1):
    if axis < 0:
        rank = ndim(tensors[0])
        axis = axis % rank if rank else 0
    return tf.concat([tf.convert_to_tensor(t) for t in tensors], axis)


def stack(x, axis=0):
    return tf.stack(x, axis=axis)


def one_hot(indices, num_classes):
    return tf.one_hot(indices, depth=num_classes, axis=-1)


def ones_like(x, dtype=None, name=None):
    return tf.ones_like(x, dtype=dtype)


def zeros_like(x, dtype=None, name=None):
    return tf.zeros_like(x, dtype=dtype)


def ones(shape, dtype=None, name=None):
    return tf.ones(shape, dtype=dtype or _FLOATX)


def zeros(shape, dtype=None, name=None):
    return tf.zeros(shape, dtype=dtype or _FLOATX)


def dot(x, y):
    x = tf.convert_to_tensor(x)
    y = tf.convert_to_tensor(y)
    if x.dim() == 2 and y.dim() == 2:
        return tf.matmul(x, y)
    return tf.tensordot(x, y, axes=([x.dim() - 1], [y.dim() - 2 if y.dim() > 1 else 0]))


def gather(reference, indices):
    return tf.gather(reference, indices)


def l2_normalize(x, axis=None):
    return tf.l2_normalize(x, axis=axis)


def print_tensor(x, message="", summarize=3):
    return x


# ------------------------------------------------------------ activations

def sigmoid(x):
    return tf.sigmoid(x)


def hard_sigmoid(x):
    x = tf.convert_to_tensor(x)
    x = x * _constant_to_tensor(0.2, x.dtype) + _constant_to_tensor(0.5, x.dtype)
    return tf.clip_by_value(x, 0.0, 1.0)


def tanh(x):
    return tf.tanh(x)


def softmax(x, axis=-1):
    return tf.softmax(x, axis=axis)


def softplus(x):
    return tf.softplus(x)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    x = tf.convert_to_tensor(x)
    if alpha != 0.0:
        negative_part = tf.relu(-x + threshold) if threshold != 0 else tf.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = x * tf.cast(tf.greater(x, threshold), x.dtype)
    else:
        x = tf.relu(x)
    if clip_max:
        x = tf.clip_by_value(x, _constant_to_tensor(0, x.dtype),
                             _constant_to_tensor(max_value, x.dtype))
    if alpha != 0.0:
        x = x - _constant_to_tensor(alpha, x.dtype) * negative_part
    return x


# ------------------------------------------------------------ losses

def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target = tf.wrap(tf.convert_to_tensor(target))
    output = tf.wrap(tf.convert_to_tensor(output))
    target.shape.assert_is_compatible_with(output.shape)
    if from_logits:
        return tf.softmax_cross_entropy_with_logits(labels=target, logits=output, axis=axis)
    # scale preds so that the class probas of each sample sum to 1
    output = output / tf.reduce_sum(output, axis, True)
    epsilon_ = _constant_to_tensor(epsilon(), output.dtype)
    output = tf.clip_by_value(output, epsilon_, 1.0 - epsilon_)
    return -tf.reduce_sum(target * tf.log(output), axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1, ignore_class=None):
    if ignore_class is not None:
        raise NotImplementedError("keras shim: ignore_class")
    target = tf.convert_to_tensor(target)
    output = tf.wrap(tf.convert_to_tensor(output))
    target = tf.cast(target, "int64")
    if not from_logits:
        epsilon_ = _constant_to_tensor(epsilon(), output.dtype)
        output = tf.clip_by_value(output, epsilon_, 1 - epsilon_)
        output = tf.log(output)
    output = tf.convert_to_tensor(output)
    output_rank = output.dim()
    axis %= output_rank
    if axis != output_rank - 1:
        perm = list(range(axis)) + list(range(axis + 1, output_rank)) + [axis]
        output = output.permute(*perm)
    output_shape = list(output.shape)
    target = tf.convert_to_tensor(target)
    target_rank = target.dim()
    update_shape = target_rank != output_rank - 1
    if update_shape:
        target = target.reshape(-1)
        output = output.reshape(-1, output_shape[-1])
    res = tf.convert_to_tensor(
        tf.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output))
    if update_shape and output_rank >= 3:
        res = res.reshape(output_shape[:-1])
    return tf.wrap(res)


def binary_crossentropy(target, output, from_logits=False):
    target = tf.wrap(tf.convert_to_tensor(target))
    output = tf.wrap(tf.convert_to_tensor(output))
    if from_logits:
        return tf.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    epsilon_ = _constant_to_tensor(epsilon(), output.dtype)
    output = tf.clip_by_value(output, epsilon_, 1.0 - epsilon_)
    bce = target * tf.log(output + epsilon())
    bce = bce + (1 - target) * tf.log(1 - output + epsilon())
    return -bce


def binary_focal_crossentropy(target, output, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False):
    target = tf.wrap(tf.convert_to_tensor(target))
    output = tf.wrap(tf.convert_to_tensor(output))
    sigmoidal = sigmoid(output) if from_logits else output
    p_t = target * sigmoidal + (1 - target) * (1 - sigmoidal)
    focal_factor = tf.pow(1.0 - p_t, gamma)
    bce = binary_crossentropy(target, output, from_logits=from_logits)
    focal_bce = focal_factor * bce
    if apply_class_balancing:
        weight = target * alpha + (1 - target) * (1 - alpha)
        focal_bce = weight * focal_bce
    return focal_bce
