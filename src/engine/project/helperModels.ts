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
from enum import Enum


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
  ['kornia.core.check', KORNIA_CHECKS],
  ['kornia.core', KORNIA_CORE],
]);
