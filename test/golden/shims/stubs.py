"""Inert stand-ins for model-building APIs (layers, models, optimizers, ...).

Fixtures may build a model or call ``model.compile(loss=...)`` at module level
the way real training scripts do.  None of that influences the loss value, so
these objects accept any arguments, can be called, and return more of
themselves.  ``compile`` records its keyword arguments.
"""


class Inert:
    def __init__(self, *args, **kwargs):
        self._args = args
        self._kwargs = kwargs

    def __call__(self, *args, **kwargs):
        return Inert(*args, **kwargs)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Inert()

    def compile(self, *args, **kwargs):
        self.compiled = kwargs
        return None

    def __iter__(self):
        return iter(())

    def __repr__(self):
        return "<inert stub>"


class InertModule:
    """Module-like namespace whose every attribute is an Inert factory."""

    def __init__(self, name):
        self.__name__ = name

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Inert


def register_keras_serializable(package="Custom", name=None):
    def deco(obj):
        return obj
    return deco


_CUSTOM_OBJECTS = {}


def get_custom_objects():
    return _CUSTOM_OBJECTS


def to_categorical(y, num_classes=None, dtype="float32"):
    import numpy as np
    y = np.array(y, dtype="int")
    input_shape = y.shape
    if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
        input_shape = tuple(input_shape[:-1])
    y = y.ravel()
    if not num_classes:
        num_classes = np.max(y) + 1
    n = y.shape[0]
    categorical = np.zeros((n, num_classes), dtype=dtype)
    categorical[np.arange(n), y] = 1
    return np.reshape(categorical, input_shape + (num_classes,))
