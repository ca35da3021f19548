"""medseg - training and inference for volumetric segmentation."""
__version__ = "1.4.0"
