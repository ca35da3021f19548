"""segmodels: Keras segmentation losses for standalone keras or tf.keras.

The framework is picked once, when the package is imported, and its
submodules are handed to every loss object. The scoring functions get them
as keyword arguments (``backend=...``) and never import Keras themselves.
"""
import os

from . import base

KERAS = "keras"
TF_KERAS = "tf.keras"
_selected = None


def use_framework(name):
    """Switch between standalone ``keras`` and ``tf.keras``."""
    global _selected
    name = name.lower()
    if name == KERAS:
        import keras
    elif name == TF_KERAS:
        from tensorflow import keras
    else:
        raise ValueError(f"framework must be {KERAS!r} or {TF_KERAS!r}, not {name!r}")
    base.BackendHolder.inject(backend=keras.backend, layers=keras.layers, models=keras.models, utils=keras.utils)
    _selected = name


def framework():
    return _selected


use_framework(os.environ.get("SEGMODELS_FRAMEWORK", TF_KERAS))

from . import losses  # noqa: E402
