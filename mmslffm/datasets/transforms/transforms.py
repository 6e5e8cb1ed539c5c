"""Augmentations specific to image pairs stacked on channels (H, W, 2C).

Geometric augmentation needs nothing new: mmseg/mmcv's ``RandomCrop``, ``RandomFlip`` and
``RandomRotate`` act on the stacked pair and the label alike. What they cannot express is
(1) exchanging the two dates and (2) a photometric change drawn independently for each date
(mmseg's ``PhotoMetricDistortion`` works on one 3-band image); these two transforms add that.
"""

import copy
from typing import List, Optional

import numpy as np
from mmcv.transforms import BaseTransform, Compose
from mmcv.transforms.utils import cache_randomness

from mmslffm.registry import TRANSFORMS

__all__ = ['RandomSwapPair', 'ApplyToEachImage', 'split_pair']


def split_pair(pair: np.ndarray) -> List[np.ndarray]:
    """(H, W, 2C) -> [A (H, W, C), B (H, W, C)]."""
    if pair.ndim != 3 or pair.shape[2] % 2:
        raise ValueError(
            f'expected an image pair (H, W, 2C), got shape '
            f'{pair.shape}; load it with LoadImagePairFromFile'
        )
    bands = pair.shape[2] // 2
    return [pair[..., :bands], pair[..., bands:]]


@TRANSFORMS.register_module()
class RandomSwapPair(BaseTransform):
    """Exchange image A and image B with probability ``prob``.

    Change labels are symmetric in time, so this doubles the pairs seen.
    Sets ``pair_swapped``.
    """

    def __init__(self, prob: float = 0.5) -> None:
        if not 0 <= prob <= 1:
            raise ValueError(
                f'RandomSwapPair: prob must be in [0, 1], got {prob}'
            )
        self.prob = prob

    @cache_randomness
    def _draw_swap(self) -> bool:
        return bool(np.random.rand() < self.prob)

    def transform(self, results: dict) -> dict:
        swap = self._draw_swap()
        if swap:
            image_a, image_b = split_pair(results['img'])
            results['img'] = np.concatenate([image_b, image_a], axis=2)
        results['pair_swapped'] = swap
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(prob={self.prob})'


@TRANSFORMS.register_module()
class ApplyToEachImage(BaseTransform):
    """Run single-image ``transforms`` on A and on B with independent randomness.

    Meant for photometric transforms (``mmseg.PhotoMetricDistortion``...):
    a transform that changes the image size would desynchronise the pair
    and is refused.

    Args:
        transforms: transform configs applied to ``dict(img=A)`` then to
            ``dict(img=B)``.
    """

    def __init__(self, transforms: List[dict]) -> None:
        self.transforms = Compose(transforms)

    def transform(self, results: dict) -> Optional[dict]:
        outputs = []
        for image in split_pair(results['img']):
            single = dict(
                img=np.ascontiguousarray(image), img_shape=image.shape[:2]
            )
            single = self.transforms(copy.copy(single))
            if single is None or single['img'].shape != image.shape:
                raise ValueError(
                    'ApplyToEachImage takes transforms that keep the image '
                    f'shape {image.shape}; {self.transforms} did not (put '
                    'geometric transforms outside it: they act on the stacked '
                    'pair and the label together)'
                )
            outputs.append(single['img'])
        results['img'] = np.concatenate(outputs, axis=2)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(transforms={self.transforms})'
