"""Datasets and transforms that mmrotate/mmseg/mmpretrain lack (unlabeled archives, image pairs,
tolerant DOTA/DIOR-R readers, skipping unreadable training samples)."""

from . import _quiet_libraries  # noqa: F401  (first: before ours import them)
from .change_detection import *  # noqa: F401,F403
from .dior import DIORRDataset
from .dota import DOTAPatchDataset
from .geosense import GeoSense
from .image_io import LoadRemoteSensingImage, UnreadableImageError, read_image
from .path_index import PathIndex
from .resumable_sampler import ResumableSampler
from .skip_unreadable import SkipUnreadable

__all__ = [
    'DIORRDataset',
    'DOTAPatchDataset',
    'GeoSense',
    'LoadRemoteSensingImage',
    'PathIndex',
    'ResumableSampler',
    'SkipUnreadable',
    'UnreadableImageError',
    'read_image',
]
