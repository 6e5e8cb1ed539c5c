"""Data transforms: strict loading (one image, a change-detection pair and its label), image-pair
augmentations, and the wrapper that skips training samples whose files cannot be read."""

from .loading import (
    InvalidSampleError,
    LoadBinaryChangeLabel,
    LoadImagePairFromFile,
    LoadRemoteSensingImage,
    read_date_image,
)
from .skip_unreadable import SkipUnreadable
from .transforms import ApplyToEachImage, RandomSwapPair, split_pair

__all__ = [
    'ApplyToEachImage',
    'InvalidSampleError',
    'LoadBinaryChangeLabel',
    'LoadImagePairFromFile',
    'LoadRemoteSensingImage',
    'RandomSwapPair',
    'SkipUnreadable',
    'read_date_image',
    'split_pair',
]
