"""segkit - lesion segmentation toolkit."""
