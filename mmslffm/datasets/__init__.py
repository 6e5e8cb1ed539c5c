"""Datasets and transforms that mmrotate/mmseg/mmpretrain lack (unlabeled archives, image pairs)."""
from .geosense import GeoSense
from .image_io import (LoadRemoteSensingImage, UnreadableImageError,
                       read_image)

__all__ = [
    'GeoSense', 'LoadRemoteSensingImage', 'UnreadableImageError', 'read_image'
]
