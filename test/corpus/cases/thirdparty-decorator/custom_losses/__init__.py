from .dice_loss import MaskedDiceLoss

__all__ = ["MaskedDiceLoss"]
