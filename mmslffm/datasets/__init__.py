"""Datasets and transforms that mmrotate/mmseg/mmpretrain lack (unlabeled archives, image pairs,
tolerant DOTA/DIOR-R readers, skipping unreadable training samples)."""

from .dior import DIORRDataset
from .dota import DOTAPatchDataset
from .geosense import GeoSense
from .image_io import UnreadableImageError, read_image
from .levir_cd import LEVIRCDDataset
from .path_index import PathIndex
from .resumable_sampler import ResumableSampler
from .transforms import (
    ApplyToEachImage,
    InvalidSampleError,
    LoadBinaryChangeLabel,
    LoadImagePairFromFile,
    LoadRemoteSensingImage,
    RandomSwapPair,
    SkipUnreadable,
    read_date_image,
    split_pair,
)

__all__ = [
    'ApplyToEachImage',
    'DIORRDataset',
    'DOTAPatchDataset',
    'GeoSense',
    'InvalidSampleError',
    'LEVIRCDDataset',
    'LoadBinaryChangeLabel',
    'LoadImagePairFromFile',
    'LoadRemoteSensingImage',
    'PathIndex',
    'RandomSwapPair',
    'ResumableSampler',
    'SkipUnreadable',
    'UnreadableImageError',
    'read_date_image',
    'read_image',
    'split_pair',
]
