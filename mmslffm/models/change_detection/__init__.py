"""Change detection on mmseg's base classes: Siamese segmentor, BIT head, pair preprocessor."""

from .bit_head import BITHead
from .data_preprocessor import PairedSegDataPreProcessor
from .siamese_encoder_decoder import SiameseEncoderDecoder

__all__ = ['BITHead', 'PairedSegDataPreProcessor', 'SiameseEncoderDecoder']
