"""Datasets and transforms that mmrotate/mmseg/mmpretrain lack (unlabeled archives, image pairs)."""
from .dior import DIORRDataset  # noqa: F401
from .dota import DOTAPatchDataset  # noqa: F401
