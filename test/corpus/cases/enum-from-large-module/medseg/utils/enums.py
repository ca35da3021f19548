"""Every string option of the library as an Enum.

Options are accepted as strings or enum members everywhere; ``StrEnum``
members compare equal to their value.
"""
from __future__ import annotations

import functools
import warnings
from enum import Enum, IntEnum
from typing import Iterable


class StrEnum(str, Enum):
    """Enum whose members are also strings."""

    def __str__(self):
        return self.value

    def __repr__(self):
        return self.value


class NormLayer(StrEnum):
    BATCH = "batch"
    INSTANCE = "instance"
    GROUP = "group"
    LAYER = "layer"
    NONE = "none"


class ResampleMode(StrEnum):
    NEAREST = "nearest"
    LINEAR = "linear"
    CUBIC = "cubic"
    AREA = "area"


class SamplerKind(StrEnum):
    UNIFORM = "uniform"
    FOREGROUND = "foreground"
    BALANCED = "balanced"


class PadMode(StrEnum):
    CONSTANT = "constant"
    EDGE = "edge"
    REFLECT = "reflect"
    SYMMETRIC = "symmetric"
    WRAP = "wrap"


class PatchBlending(StrEnum):
    MEAN = "mean"
    GAUSSIAN = "gaussian"


class Phase(StrEnum):
    TRAIN = "train"
    VALIDATION = "validation"
    TEST = "test"


class EvalMetric(StrEnum):
    DICE = "dice"
    HD95 = "hd95"
    MEAN_SURFACE_DISTANCE = "msd"
    VOLUME_SIMILARITY = "volume_similarity"


class LossReduction(StrEnum):
    """What a loss returns: every element, their mean, or their sum."""

    NONE = "none"
    MEAN = "mean"
    SUM = "sum"


class Verbosity(IntEnum):
    SILENT = 0
    SUMMARY = 1
    DETAILED = 2


class Orientation(StrEnum):
    LEFT_POSTERIOR_SUPERIOR = "LPS"
    RIGHT_ANTERIOR_SUPERIOR = "RAS"


class HistoryKeys(StrEnum):
    TRANSFORM = "transform"
    PARAMS = "params"
    ORIGINAL_SHAPE = "original_shape"
    INVERTIBLE = "invertible"


class TrainerState(StrEnum):
    EPOCH = "epoch"
    STEP = "step"
    MAX_EPOCHS = "max_epochs"
    BEST_SCORE = "best_score"
    BEST_EPOCH = "best_epoch"
    DEVICE = "device"


@functools.lru_cache(maxsize=None)
def member_names(enum_cls) -> tuple:
    return tuple(m.value for m in enum_cls)


def deprecated_option(value: str, replacements: dict) -> str:
    """Map an old option name to its new name, with a warning."""
    if value in replacements:
        warnings.warn(f"option {value!r} is deprecated, use {replacements[value]!r}", FutureWarning)
        return replacements[value]
    return value


def ensure_members(values: Iterable, enum_cls) -> list:
    return [enum_cls(v) for v in values]
