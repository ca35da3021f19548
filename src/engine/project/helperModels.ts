// Faithful models, written as Python, of small helpers that loss code imports from libraries that
// are often not installed where the code is read: MONAI's reduction enum and option lookup,
// kornia's argument checks. Each is keyed by the module a loss imports it from; other names of those
// modules come from the library's source when the project or its environment has it.

const MONAI_ENUMS = `
from enum import Enum


class StrEnum(str, Enum):
    def __str__(self):
        return self.value


class LossReduction(StrEnum):
    NONE = "none"
    MEAN = "mean"
    SUM = "sum"
`;

const MONAI_LOOKUP = `
import importlib
from enum import Enum


class _Missing:
    """What MONAI hands out for a package that is not installed: an error as soon as it is used."""

    def __init__(self, module, name):
        self._what = f"{module}.{name}" if name else module

    def __getattr__(self, attr):
        raise ImportError(f"{self._what} is not installed (requested by monai.utils.optional_import)")

    def __call__(self, *args, **kwargs):
        raise ImportError(f"{self._what} is not installed (requested by monai.utils.optional_import)")


def optional_import(module, version="", version_checker=None, name="", descriptor="{}", version_args=None,
                    allow_namespace_pkg=False, as_type="default"):
    """(the module or its attribute, True), or (something that raises when used, False)."""
    try:
        found = importlib.import_module(module)
        if name:
            found = getattr(found, name)
        return found, True
    except (ImportError, AttributeError):
        return _Missing(module, name), False


def look_up_option(opt_str, supported, default="no_default", print_all_options=True):
    """The option as the library stores it, or ValueError when it is not one of the supported ones."""
    if isinstance(opt_str, str):
        opt_str = opt_str.strip()
    if isinstance(supported, type) and issubclass(supported, Enum):
        for member in supported:
            if member == opt_str or member.value == opt_str:
                return member
    elif isinstance(supported, dict):
        if opt_str in supported:
            return supported[opt_str]
    elif opt_str in supported:
        return opt_str
    if default != "no_default":
        return default
    raise ValueError(f"Unsupported option '{opt_str}', available options are {list(supported)}.")
`;

const KORNIA_CHECKS = `
from torch import Tensor


def KORNIA_CHECK(condition, msg=None, raises=True):
    if not condition:
        if raises:
            raise Exception(f"{condition} not true.\\n{msg}")
        return False
    return True


def KORNIA_CHECK_IS_TENSOR(x, msg=None, raises=True):
    if not isinstance(x, Tensor):
        if raises:
            raise TypeError(f"Not a Tensor type. Got: {type(x)}.\\n{msg}")
        return False
    return True


def KORNIA_CHECK_SAME_DEVICE(x, y, raises=True):
    return True


def KORNIA_CHECK_SAME_SHAPE(x, y, raises=True):
    if x.shape != y.shape:
        if raises:
            raise TypeError(f"{x} shape must be [{y.shape}]. Got {x.shape}")
        return False
    return True


def KORNIA_CHECK_SHAPE(x, shape, raises=True):
    """Named dimensions ('B', 'C', 'H', 'W') match any size, numbers match exactly, '*' any leading or trailing dims."""
    if shape[0] == "*":
        expected, actual = shape[1:], x.shape[-len(shape[1:]):]
    elif shape[-1] == "*":
        expected, actual = shape[:-1], x.shape[: len(shape[:-1])]
    else:
        expected, actual = shape, x.shape
    if len(actual) != len(expected):
        if raises:
            raise TypeError(f"{x} shape must be [{shape}]. Got {x.shape}")
        return False
    for i in range(len(expected)):
        if expected[i].isnumeric() and actual[i] != int(expected[i]):
            if raises:
                raise TypeError(f"{x} shape must be [{shape}]. Got {x.shape}")
            return False
    return True
`;

const MONAI_DISTANCE = `
import numpy as np
import torch
from scipy import ndimage


def distance_transform_edt(img, sampling=None, return_distances=True, return_indices=False, distances=None,
                           indices=None, *, block_params=None, float64_distances=False):
    """MONAI's CPU path: scipy's exact distance transform on each channel of a (C, spatial...) image."""
    if not return_distances and not return_indices:
        raise RuntimeError("Neither return_distances nor return_indices True")
    if not (img.ndim >= 3 and img.ndim <= 4):
        raise RuntimeError("Wrong input dimensionality. Use (num_channels, H, W [,D])")
    if distances is not None or indices is not None:
        raise TypeError("distance_transform_edt: output arrays (distances=, indices=) are not modelled")
    array = img.detach().cpu().numpy() if isinstance(img, torch.Tensor) else np.asarray(img)
    found_distances, found_indices = [], []
    for channel in range(array.shape[0]):
        result = ndimage.distance_transform_edt(array[channel], sampling=sampling, return_distances=return_distances,
                                                return_indices=return_indices)
        if return_distances and return_indices:
            found_distances.append(result[0])
            found_indices.append(result[1])
        elif return_distances:
            found_distances.append(result)
        else:
            found_indices.append(result)
    values = []
    if return_distances:
        values.append(np.stack(found_distances))
    if return_indices:
        values.append(np.stack(found_indices).astype(np.int32))
    if isinstance(img, torch.Tensor):
        values = [torch.as_tensor(v) for v in values]
    return values[0] if len(values) == 1 else values
`;

const KORNIA_CORE = `
from torch import Tensor
from torch.nn import Module
`;

export const HELPER_MODELS: ReadonlyMap<string, string> = new Map([
  [
    'monai.utils',
    'from monai.utils.enums import LossReduction, StrEnum\nfrom monai.utils.module import look_up_option\n',
  ],
  ['monai.utils.enums', MONAI_ENUMS],
  ['monai.utils.module', MONAI_LOOKUP],
  ['monai.transforms.utils', MONAI_DISTANCE],
  ['kornia.core.check', KORNIA_CHECKS],
  ['kornia.core', KORNIA_CORE],
]);
