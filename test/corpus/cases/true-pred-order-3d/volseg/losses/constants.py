"""Numbers shared by every loss."""
import dataclasses


@dataclasses.dataclass(frozen=True)
class LossDefaults:
    # added to denominators
    EPSILON: float = 1e-6
    # (H, W, D) axes of a (B, C, H, W, D) tensor
    SPATIAL_AXES: tuple = (2, 3, 4)
