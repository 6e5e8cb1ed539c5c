"""Window size, overlap and scale of large-scene inference, read off the model's config.

A model sees windows of the size it was trained on: a detector trained on 256 patches finds
little in 1024 windows, and one trained on DOTA patches rescaled by a rate (``dota_split.py
--rates 0.5``) needs the scene rescaled the same way. This module picks the default window from
the config (the segmentor's slide crop, the test pipeline's fixed resize, the training crop),
rescales window pixels and maps predictions back, and checks that a change pair shares one
pixel grid. mmseg/mmdet's inference APIs take whole in-memory images and have none of this.
"""

from typing import Optional, Sequence, Tuple

import mmcv
import numpy as np
from mmengine.config import Config
from mmengine.logging import print_log

__all__ = [
    'window_from_config',
    'default_overlap',
    'settle_window',
    'rescale_window',
    'restore_mask',
    'check_same_grid',
]

FALLBACK_WINDOW = 1024
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
    """(h, w, C) window resized by ``scale`` (bilinear), as the model was trained."""
    if scale == 1:
        return pixels
    return mmcv.imrescale(
        np.ascontiguousarray(pixels), scale, interpolation='bilinear'
    )


def restore_mask(mask: np.ndarray, shape: Tuple[int, int]) -> np.ndarray:
    """(h', w') class mask back to the window's (h, w), nearest neighbour."""
    if mask.shape == tuple(shape):
        return mask
    return mmcv.imresize(mask, (shape[1], shape[0]), interpolation='nearest')


def check_same_grid(scene_a, scene_b, path_a: str, path_b: str) -> None:
    """Refuse a change pair that does not share size, CRS and transform."""
    if scene_a.shape != scene_b.shape:
        raise ValueError(
            f'change detection needs two images of the same area and size: '
            f'{path_a} is {scene_a.width}x{scene_a.height} but {path_b} is '
            f'{scene_b.width}x{scene_b.height}; co-register/crop them'
        )
    if scene_a.crs != scene_b.crs:
        raise ValueError(
            f'change detection needs two images in one CRS: {path_a} is in '
            f'{scene_a.crs} but {path_b} is in {scene_b.crs}; reproject one '
            '(e.g. gdalwarp -t_srs) onto the other grid'
        )
    if not scene_a.transform.almost_equals(scene_b.transform):
        raise ValueError(
            f'change detection needs two images on one pixel grid: {path_a} '
            f'has transform {tuple(scene_a.transform)[:6]} but {path_b} has '
            f'{tuple(scene_b.transform)[:6]}; resample one onto the other '
            '(e.g. gdalwarp -te/-tr)'
        )
