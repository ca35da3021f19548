"""volseg: 3-D medical image segmentation pipeline."""
