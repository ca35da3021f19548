from .constants import MULTICLASS_MODE, MULTILABEL_MODE, BINARY_MODE
from .dice import DiceLoss

__all__ = ["DiceLoss", "BINARY_MODE", "MULTICLASS_MODE", "MULTILABEL_MODE"]
