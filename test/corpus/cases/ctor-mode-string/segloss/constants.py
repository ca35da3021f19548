"""Label layouts the losses understand."""

# one foreground class: labels (N, H, W) in {0, 1}, network output (N, 1, H, W)
BINARY_MODE = "binary"
# exclusive classes: labels (N, H, W) in 0..C-1, network output (N, C, H, W)
MULTICLASS_MODE = "multiclass"
# independent channels: labels (N, C, H, W) in {0, 1}, network output (N, C, H, W)
MULTILABEL_MODE = "multilabel"

ALL_MODES = (BINARY_MODE, MULTICLASS_MODE, MULTILABEL_MODE)
