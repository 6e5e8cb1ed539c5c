"""Data preprocessor for image pairs stacked on channels.

mmseg's ``SegDataPreProcessor`` (through mmengine's ``ImgDataPreprocessor``) accepts only 1 or
3 mean/std values, so it cannot normalize a 6-channel pair. This subclass takes the statistics
of *one* image, applies them to both halves of a (2C, H, W) pair, and checks that the input
really is a pair of such images. Padding, batching and the label handling are mmseg's.
"""

from typing import Any, Dict, Optional, Sequence

import torch
from mmseg.models.data_preprocessor import SegDataPreProcessor

from mmslffm.registry import MODELS

__all__ = ['PairedSegDataPreProcessor']


@MODELS.register_module()
class PairedSegDataPreProcessor(SegDataPreProcessor):
    """Normalize, pad and batch (2C, H, W) image pairs and their change labels.

    Args:
        mean: per-band mean of one image (C values), used for A and for B.
        std: per-band std of one image (C values).
        **kwargs: ``SegDataPreProcessor`` arguments (``size``,
            ``size_divisor``, ``pad_val``, ``seg_pad_val``, ``test_cfg``).
            Colour-order swaps are refused: load the pair in the order the
            statistics are given (``LoadImagePairFromFile`` reads RGB).

    Shapes:
        data['inputs']: list of (2C, H, W) -> inputs (B, 2C, H', W') float.
    """

    def __init__(
        self,
        mean: Optional[Sequence[float]] = None,
        std: Optional[Sequence[float]] = None,
        **kwargs,
    ) -> None:
        for swap in ('bgr_to_rgb', 'rgb_to_bgr'):
            if kwargs.get(swap):
                raise ValueError(
                    f'PairedSegDataPreProcessor does not take {swap}: load '
                    "the images in the statistics' band order instead "
                    "(LoadImagePairFromFile(channel_order='rgb'))"
                )
        if (mean is None) != (std is None):
            raise ValueError(
                'PairedSegDataPreProcessor: give both mean and std, or neither'
            )
        super().__init__(mean=None, std=None, **kwargs)
        self.bands_per_image = None if mean is None else len(mean)
        if mean is not None:
            self._enable_normalize = True
            self.register_buffer(
                'mean', torch.tensor([*mean, *mean]).view(-1, 1, 1), False
            )
            self.register_buffer(
                'std', torch.tensor([*std, *std]).view(-1, 1, 1), False
            )

    def forward(self, data: dict, training: bool = False) -> Dict[str, Any]:
        """Check the pair's band count, then mmseg's normalize/pad/stack."""
        channels = data['inputs'][0].shape[0]
        if (
            self.bands_per_image is not None
            and channels != 2 * self.bands_per_image
        ):
            raise ValueError(
                f'PairedSegDataPreProcessor got {channels}-channel inputs but '
                f'mean/std of {self.bands_per_image} bands: inputs must be '
                f'image A and image B stacked on channels '
                f'({2 * self.bands_per_image} channels)'
            )
        return super().forward(data, training)
