"""Datasets and transforms that mmrotate/mmseg/mmpretrain lack (unlabeled archives, image pairs)."""
from .change_detection import *  # noqa: F401,F403
from .geosense import GeoSense
from .image_io import (LoadRemoteSensingImage, UnreadableImageError,
                       read_image)

__all__ = [
    'GeoSense', 'LoadRemoteSensingImage', 'UnreadableImageError', 'read_image'
]
