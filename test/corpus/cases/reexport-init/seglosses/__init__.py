"""Public loss API: import losses from here, not from the submodules."""
from .dice import SoftDiceLoss
from .focal import BinaryFocalLoss
from .combo import ComboLoss

__all__ = ["SoftDiceLoss", "BinaryFocalLoss", "ComboLoss"]
