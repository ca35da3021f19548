from .overlap import MulticlassDiceLoss, soft_jaccard_loss

__all__ = ["MulticlassDiceLoss", "soft_jaccard_loss"]
