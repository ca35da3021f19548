"""Loss functions. Importing the submodules registers them in LOSS_REGISTRY."""
from volseg.losses import dice  # noqa: F401
from volseg.losses.registry import LOSS_REGISTRY, get_loss

__all__ = ["LOSS_REGISTRY", "get_loss"]
