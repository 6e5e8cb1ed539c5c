"""Merged scene detections drawn on the scene image (PNG), to look at what the score says.

mmdet's ``DetVisualizationHook`` draws patches; after the merge there is no data sample left
to hand it, and matplotlib (its backend) is slow on 4000 x 4000 scenes with thousands of
boxes, so this draws polygons with OpenCV: detections in their class colour, the ground truth
(when given) thin and white, and a legend of the classes drawn with the score threshold.
"""

import os.path as osp
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np

from mmslffm.datasets.polygons import rboxes_to_polygons

__all__ = ['draw_scene_detections']

GROUND_TRUTH_BGR = (255, 255, 255)


def _draw_legend(
    image: np.ndarray, entries: List[Tuple[str, tuple]], scale: float
) -> None:
    """Boxed legend in the top-left corner: one coloured line per entry."""
    font, line = cv2.FONT_HERSHEY_SIMPLEX, max(1, round(scale))
    height = round(22 * scale)
    width = max(
        cv2.getTextSize(text, font, 0.5 * scale, line)[0][0]
        for text, _ in entries
    ) + round(40 * scale)
    cv2.rectangle(
        image, (0, 0), (width, height * len(entries) + 8), (0, 0, 0), -1
    )
    for row, (text, bgr) in enumerate(entries):
        y = height * (row + 1)
        cv2.rectangle(
            image,
            (round(6 * scale), y - round(12 * scale)),
            (round(24 * scale), y),
            bgr,
            -1,
        )
        cv2.putText(
            image,
            text,
            (round(32 * scale), y),
            font,
            0.5 * scale,
            (255, 255, 255),
            line,
            cv2.LINE_AA,
        )


def draw_scene_detections(
    image_path: str,
    class_dets: List[np.ndarray],
    palette: Sequence[Tuple[int, int, int]],
    out_path: str,
    score_thr: float = 0.3,
    classes: Optional[Sequence[str]] = None,
    ground_truth: Optional[np.ndarray] = None,
) -> bool:
    """Draw per-class (M, 6) ``cx, cy, w, h, angle, score`` boxes above ``score_thr``.

    Args:
        image_path: the unsplit scene.
        class_dets: per class detections in scene pixels.
        palette: RGB colour per class.
        out_path: PNG to write.
        score_thr: lowest score drawn.
        classes: class names; when given, a legend lists the classes drawn
            (with their count) and the threshold.
        ground_truth: (K, 8) polygons of the labelled objects, drawn thin in
            white under the detections.

    Returns:
        False (nothing written) when the scene image cannot be read.
    """
    image = cv2.imread(image_path, cv2.IMREAD_COLOR)
    if image is None:
        return False
    scale = max(1.0, max(image.shape[:2]) / 1500)
    thickness = max(1, round(max(image.shape[:2]) / 1000))
    if ground_truth is not None and len(ground_truth):
        cv2.polylines(
            image,
            list(ground_truth.reshape(-1, 4, 2).round().astype(np.int32)),
            isClosed=True,
            color=GROUND_TRUTH_BGR,
            thickness=1,
        )
    legend = []
    for index, (dets, rgb) in enumerate(zip(class_dets, palette)):
        kept = dets[dets[:, 5] >= score_thr]
        bgr = tuple(int(c) for c in rgb[::-1])
        polygons = rboxes_to_polygons(kept).reshape(-1, 4, 2)
        cv2.polylines(
            image,
            [p.round().astype(np.int32) for p in polygons],
            isClosed=True,
            color=bgr,
            thickness=thickness,
        )
        if classes is not None and len(kept):
            legend.append((f'{classes[index]} ({len(kept)})', bgr))
    if classes is not None:
        legend.append((f'score >= {score_thr:g}', (0, 0, 0)))
        if ground_truth is not None:
            legend.append(('ground truth', GROUND_TRUTH_BGR))
        _draw_legend(image, legend, scale)
    return bool(cv2.imwrite(out_path, image)) and osp.isfile(out_path)
