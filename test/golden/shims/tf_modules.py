"""Assemble the ``tensorflow`` and ``keras`` module trees from the shims.

Only names that exist in TensorFlow 2.x / Keras 2 at the given path are
exposed (``tf.math.log`` but no TF1 ``tf.log``), so a fixture written against
an API that does not exist fails here as it would for real.
"""

import builtins
import types

from . import keras_backend
from . import keras_losses
from . import stubs
from . import tf_core as c

_MATH = """abs add argmax argmin ceil cosh count_nonzero divide divide_no_nan equal exp
floor floordiv greater greater_equal is_finite is_inf is_nan less less_equal log log1p
log_sigmoid logical_and logical_not logical_or maximum minimum multiply negative not_equal
pow reciprocal reduce_all reduce_any reduce_logsumexp reduce_max reduce_mean reduce_min
reduce_prod reduce_std reduce_sum reduce_variance round rsqrt sigmoid sign sinh softplus
sqrt square squared_difference subtract tanh truediv l2_normalize top_k""".split()

_NN = """relu sigmoid softmax log_softmax softplus tanh l2_normalize top_k
softmax_cross_entropy_with_logits sparse_softmax_cross_entropy_with_logits
sigmoid_cross_entropy_with_logits weighted_cross_entropy_with_logits""".split()

_TOP = """abs add argmax argmin cast clip_by_value concat constant convert_to_tensor divide
einsum equal exp expand_dims fill floor gather greater greater_equal identity less
less_equal logical_and logical_not logical_or matmul maximum minimum multiply negative
not_equal one_hot ones ones_like pow range rank realdiv reduce_all reduce_any
reduce_logsumexp reduce_max reduce_mean reduce_min reduce_prod reduce_sum reshape round
shape sigmoid sign size sqrt square squeeze stack stop_gradient subtract tanh tensordot
transpose truediv unstack where zeros zeros_like is_tensor sort argsort SparseTensor""".split()

_DTYPES = "float16 float32 float64 bfloat16 int8 int16 int32 int64 uint8 double half".split()

_BACKEND = """epsilon set_epsilon floatx image_data_format backend learning_phase cast
cast_to_floatx constant variable is_tensor shape int_shape ndim dtype count_params sum prod
max min mean var std any all argmax argmin cumsum square abs sqrt exp log logsumexp round
sign pow clip equal not_equal greater greater_equal less less_equal maximum minimum sin cos
stop_gradient switch reshape flatten batch_flatten permute_dimensions transpose expand_dims
squeeze concatenate stack one_hot ones_like zeros_like ones zeros dot gather l2_normalize
print_tensor sigmoid hard_sigmoid tanh softmax softplus relu categorical_crossentropy
sparse_categorical_crossentropy binary_crossentropy binary_focal_crossentropy""".split()

_LOSSES = """binary_crossentropy categorical_crossentropy sparse_categorical_crossentropy
mean_squared_error mean_absolute_error binary_focal_crossentropy mse MSE mae MAE Reduction
Loss LossFunctionWrapper BinaryCrossentropy CategoricalCrossentropy
SparseCategoricalCrossentropy MeanSquaredError get""".split()


def _module(name, src, names):
    m = types.ModuleType(name)
    for n in names:
        setattr(m, n, getattr(src, n))
    return m


def _function(func=None, **kwargs):
    if func is None:
        return lambda f: f
    return func


def _tf_print(*args, **kwargs):
    return None


class _Debugging(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("assert"):
            return lambda *a, **k: None
        raise AttributeError(name)


def build():
    """Return {module name: module} for tensorflow.* and keras.*."""
    mods = {}

    backend = _module("keras.backend", keras_backend, _BACKEND)
    losses = _module("keras.losses", keras_losses, _LOSSES)
    utils = types.ModuleType("keras.utils")
    utils.register_keras_serializable = stubs.register_keras_serializable
    utils.get_custom_objects = stubs.get_custom_objects
    utils.to_categorical = stubs.to_categorical
    layers = stubs.InertModule("keras.layers")
    models = stubs.InertModule("keras.models")
    optimizers = stubs.InertModule("keras.optimizers")
    callbacks = stubs.InertModule("keras.callbacks")
    metrics = stubs.InertModule("keras.metrics")
    regularizers = stubs.InertModule("keras.regularizers")
    initializers = stubs.InertModule("keras.initializers")

    keras = types.ModuleType("keras")
    keras.backend = backend
    keras.losses = losses
    keras.utils = utils
    keras.layers = layers
    keras.models = models
    keras.optimizers = optimizers
    keras.callbacks = callbacks
    keras.metrics = metrics
    keras.regularizers = regularizers
    keras.initializers = initializers
    keras.Model = stubs.Inert
    keras.Sequential = stubs.Inert
    keras.Input = stubs.Inert
    keras.__version__ = "2.15.0"

    sub = {"backend": backend, "losses": losses, "utils": utils, "layers": layers,
           "models": models, "optimizers": optimizers, "callbacks": callbacks,
           "metrics": metrics, "regularizers": regularizers, "initializers": initializers}

    mods["keras"] = keras
    for k, v in sub.items():
        mods["keras." + k] = v

    # tf.keras is the same Keras 2 (separate module objects, same functions)
    tfkeras = types.ModuleType("tensorflow.keras")
    for k, v in vars(keras).items():
        if not k.startswith("__"):
            setattr(tfkeras, k, v)
    mods["tensorflow.keras"] = tfkeras
    for k, v in sub.items():
        mods["tensorflow.keras." + k] = v

    tf = _module("tensorflow", c, _TOP + _DTYPES)
    tf.bool = c.bool_
    tf.newaxis = None
    tf.Tensor = c.Tensor
    tf.TensorShape = c.TensorShape
    tf.DType = type(c.float32)
    tf.Variable = lambda initial_value, *a, **k: c.constant(initial_value)
    tf.function = _function
    tf.print = _tf_print
    tf.math = _module("tensorflow.math", c, _MATH)
    tf.nn = _module("tensorflow.nn", c, _NN)
    tf.dtypes = _module("tensorflow.dtypes", c, _DTYPES + ["as_dtype", "cast"])
    tf.dtypes.bool = c.bool_
    tf.debugging = _Debugging("tensorflow.debugging")
    tf.sparse = types.ModuleType("tensorflow.sparse")
    tf.sparse.SparseTensor = c.SparseTensor
    tf.sparse.to_dense = c._sparse_to_dense
    tf.sparse.reshape = c._sparse_reshape
    tf.sparse.reduce_sum = c._sparse_reduce_sum
    tf.keras = tfkeras
    tf.__version__ = "2.15.0"
    mods["tensorflow"] = tf
    mods["tensorflow.math"] = tf.math
    mods["tensorflow.nn"] = tf.nn
    mods["tensorflow.dtypes"] = tf.dtypes
    mods["tensorflow.debugging"] = tf.debugging
    mods["tensorflow.sparse"] = tf.sparse
    return mods
