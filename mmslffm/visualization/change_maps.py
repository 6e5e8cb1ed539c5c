"""Change maps as PNG: the binary map (0/255) and a colour map of hits and errors.

Colours of the error map, as usual in change-detection papers: white = change found (TP),
black = no change (TN), red = false alarm (FP), green = missed change (FN).
"""

import os.path as osp
from typing import Optional

import numpy as np
from PIL import Image

__all__ = ['change_label_picture', 'error_map', 'save_change_map']

# Indexed by 2 * target + prediction: TN, FP, FN, TP.
ERROR_COLOURS = np.array(
    [[0, 0, 0], [255, 0, 0], [0, 255, 0], [255, 255, 255]], dtype=np.uint8
)


def change_label_picture(
    label: np.ndarray, ignore_index: int = 255
) -> np.ndarray:
    """(H, W) change label -> (H, W, 3) uint8: changed white, unchanged black, ignored grey."""
    picture = np.zeros(label.shape + (3,), np.uint8)
    picture[label == 1] = 255
    picture[label == ignore_index] = 128
    return picture


def error_map(
    prediction: np.ndarray, target: np.ndarray, ignore_index: int = 255
) -> np.ndarray:
    """(H, W) {0,1} maps -> (H, W, 3) uint8: TN black, FP red, FN green, TP white.

    Ignored pixels are grey.
    """
    code = 2 * (target == 1) + (prediction == 1)  # 0 TN, 1 FP, 2 FN, 3 TP
    image = ERROR_COLOURS[code]
    image[target == ignore_index] = 128
    return image


def save_change_map(
    prediction: np.ndarray,
    out_dir: str,
    name: str,
    target: Optional[np.ndarray] = None,
    ignore_index: int = 255,
) -> str:
    """Write ``<name>.png`` (0/255) and, with a target, ``<name>_errors.png``.

    Returns the path of the change map.
    """
    path = osp.join(out_dir, f'{name}.png')
    Image.fromarray((prediction > 0).astype(np.uint8) * 255).save(path)
    if target is not None:
        Image.fromarray(error_map(prediction, target, ignore_index)).save(
            osp.join(out_dir, f'{name}_errors.png')
        )
    return path
