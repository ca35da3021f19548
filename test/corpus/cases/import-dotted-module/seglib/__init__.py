"""seglib: the small tensor helpers our segmentation experiments share."""

__version__ = "0.3.1"
