"""Change-detection data: LEVIR-CD, pair loading, pair augmentations."""

from .levir_cd import LEVIRCDDataset
from .loading import (
    InvalidSampleError,
    LoadBinaryChangeLabel,
    LoadImagePairFromFile,
    read_date_image,
)
from .transforms import ApplyToEachImage, RandomSwapPair, split_pair

__all__ = [
    'LEVIRCDDataset',
    'InvalidSampleError',
    'LoadBinaryChangeLabel',
    'LoadImagePairFromFile',
    'read_date_image',
    'ApplyToEachImage',
    'RandomSwapPair',
    'split_pair',
]
