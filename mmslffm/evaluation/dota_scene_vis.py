"""Merged scene detections drawn on the scene image (PNG), to look at what the score says.

mmdet's ``DetVisualizationHook`` draws patches; after the merge there is no data sample left
to hand it, and matplotlib (its backend) is slow on 4000 x 4000 scenes with thousands of
boxes, so this draws polygons with OpenCV.
"""
import os.path as osp
from typing import List, Sequence, Tuple

import cv2
import numpy as np

from .dota_submission import rboxes_to_polygons

__all__ = ['draw_scene_detections']


def draw_scene_detections(image_path: str, class_dets: List[np.ndarray],
                          palette: Sequence[Tuple[int, int, int]],
                          out_path: str, score_thr: float = 0.3) -> bool:
    """Draw per-class (M, 6) ``cx, cy, w, h, angle, score`` boxes above ``score_thr``.

    Args:
        image_path: the unsplit scene.
        class_dets: per class detections in scene pixels.
        palette: RGB colour per class.
        out_path: PNG to write.

    Returns:
        False (nothing written) when the scene image cannot be read.
    """
    image = cv2.imread(image_path, cv2.IMREAD_COLOR)
    if image is None:
        return False
    thickness = max(1, round(max(image.shape[:2]) / 1000))
    for dets, rgb in zip(class_dets, palette):
        kept = dets[dets[:, 5] >= score_thr]
        polygons = rboxes_to_polygons(kept).reshape(-1, 4, 2)
        cv2.polylines(image, [p.round().astype(np.int32) for p in polygons],
                      isClosed=True, color=tuple(int(c) for c in rgb[::-1]),
                      thickness=thickness)
    return bool(cv2.imwrite(out_path, image)) and osp.isfile(out_path)
