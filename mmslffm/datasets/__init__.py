"""Datasets and transforms that mmrotate/mmseg/mmpretrain lack (unlabeled archives, image pairs)."""
from .skip_unreadable import SkipUnreadable

__all__ = ['SkipUnreadable']
