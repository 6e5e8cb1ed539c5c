"""Window size, overlap and scale of large-scene inference, read off the model's config.

A model sees windows of the size it was trained on: a detector trained on 256 patches finds
little in 1024 windows, and one trained on DOTA patches rescaled by a rate (``dota_split.py
--rates 0.5``) needs the scene rescaled the same way. This module picks the default window from
the config (the segmentor's slide crop, the test pipeline's fixed resize, the training crop),
rescales window pixels and maps predictions back, and checks that a change pair shares one
pixel grid (:func:`~mmslffm.datasets.raster_grid.check_same_grid`, the check the
change-detection datasets apply too). mmseg/mmdet's inference APIs take whole in-memory
images and have none of this.
"""

from typing import Optional, Sequence, Tuple

import mmcv
import numpy as np
from mmengine.config import Config
from mmengine.logging import print_log

from mmslffm.datasets.raster_grid import check_same_grid

__all__ = [
    'window_from_config',
    'default_overlap',
    'settle_window',
    'rescale_window',
    'pad_to_min_side',
    'restore_mask',
    'check_same_grid',
]

FALLBACK_WINDOW = 1024
# Total stride of the backbones run here (ConvNeXt, ResNet): an input side below
# it leaves the deepest stage nothing to convolve.
MIN_MODEL_SIDE = 32
DOTA_GAP_PER_PIXEL = 200 / 1024  # the DOTA split's 200 px gap at 1024 patches


def _side(size) -> Optional[int]:
    """Longest side of an int or (w, h)/(h, w) size, None if not a fixed size."""
    if isinstance(size, int):
        return size
    if (
        isinstance(size, Sequence)
        and len(size) == 2
        and all(isinstance(v, int) for v in size)
    ):
        return max(size)
    return None


def _pipeline(cfg: Config, loader: str) -> list:
    dataset = cfg.get(loader, {}).get('dataset', {})
    while 'pipeline' not in dataset and (
        'dataset' in dataset or 'datasets' in dataset
    ):
        dataset = dataset.get('dataset') or dataset['datasets'][0]
    return dataset.get('pipeline') or []


def _step_size(pipeline: list, type_suffix: str, key: str) -> Optional[int]:
    for step in pipeline:
        if str(step.get('type', '')).endswith(type_suffix):
            side = _side(step.get(key))
            if side:
                return side
    return None


def window_from_config(cfg: Config) -> Tuple[int, str]:
    """(window side, where it was read) for a model config.

    In order: the segmentor's slide-inference crop (``model.test_cfg``), the
    test pipeline's fixed ``Resize`` scale (detectors), the training
    ``RandomCrop`` size, the data preprocessor's pad size; else 1024.
    """
    test_cfg = cfg.model.get('test_cfg') or {}
    candidates = (
        (
            _side(test_cfg.get('crop_size'))
            if test_cfg.get('mode') == 'slide'
            else None,
            'model.test_cfg.crop_size',
        ),
        (
            _step_size(
                cfg.get('test_pipeline') or _pipeline(cfg, 'test_dataloader'),
                'Resize',
                'scale',
            ),
            'the test pipeline Resize scale',
        ),
        (
            _step_size(
                _pipeline(cfg, 'train_dataloader'), 'RandomCrop', 'crop_size'
            ),
            'the training RandomCrop',
        ),
        (
            _side((cfg.model.get('data_preprocessor') or {}).get('size')),
            'model.data_preprocessor.size',
        ),
    )
    for side, source in candidates:
        if side:
            return side, source
    return FALLBACK_WINDOW, 'no crop size in the config: default'


def default_overlap(window: int, task: str) -> int:
    """Detection: the DOTA split's gap scaled to the window (200 at 1024);
    per-pixel tasks: a quarter of the window."""
    if task == 'detection':
        return round(window * DOTA_GAP_PER_PIXEL)
    return window // 4


def settle_window(
    cfg: Config,
    task: str,
    window: Optional[int],
    overlap: Optional[int],
    scale: float,
) -> Tuple[int, int]:
    """Scene-pixel window and overlap: the model's window divided by ``scale``.

    ``window``/``overlap`` are in model pixels (what the model sees after
    rescaling); None takes them from the config (logged).
    """
    if scale <= 0:
        raise ValueError(f'--scale must be positive, got {scale}')
    if window is None:
        window, source = window_from_config(cfg)
        print_log(
            f'window {window} px (from {source}; set --window to change it)',
            logger='current',
        )
    if overlap is None:
        overlap = default_overlap(window, task)
    return round(window / scale), round(overlap / scale)


def rescale_window(pixels: np.ndarray, scale: float) -> np.ndarray:
    """(h, w, C) window resized by ``scale`` (bilinear), as the model was trained.

    Sizes round as ``mmcv.imrescale`` rounds them, but never below one pixel
    (a 1-pixel strip at scale 0.5 stays one pixel wide).
    """
    if scale == 1:
        return pixels
    height, width = pixels.shape[:2]
    size = (
        max(1, int(width * scale + 0.5)),
        max(1, int(height * scale + 0.5)),
    )
    return mmcv.imresize(
        np.ascontiguousarray(pixels), size, interpolation='bilinear'
    )


def pad_to_min_side(
    pixels: np.ndarray, min_side: int = MIN_MODEL_SIDE
) -> np.ndarray:
    """(h, w, C) window padded with 0 at the bottom/right to >= ``min_side`` a side.

    Scenes narrower than the network's stride (1 x N strips, a 5 x 5 chip)
    are predicted this way; crop the prediction back to ``[:h, :w]``.
    """
    height, width = pixels.shape[:2]
    if height >= min_side and width >= min_side:
        return pixels
    padding = [(0, max(0, min_side - height)), (0, max(0, min_side - width))]
    padding += [(0, 0)] * (pixels.ndim - 2)
    return np.pad(pixels, padding)


def restore_mask(mask: np.ndarray, shape: Tuple[int, int]) -> np.ndarray:
    """(h', w') class mask back to the window's (h, w), nearest neighbour."""
    if mask.shape == tuple(shape):
        return mask
    return mmcv.imresize(mask, (shape[1], shape[0]), interpolation='nearest')
