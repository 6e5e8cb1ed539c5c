"""Merge patch detections back into whole DOTA scenes (shift, unscale, rotated NMS per class).

mmrotate's ``DOTAMetric.merge_results`` does the shift and NMS but ignores the scale rate in
patch names (multi-scale splits come back at the wrong size), only writes files (no scene
mAP) and refuses to run twice into the same folder. The merge here is a pure function that the
metric, the submission writer and the tests share; the shift and the class-aware rotated NMS
are :mod:`.rotated_merge`, shared with large-scene inference.
"""

import re
from collections import defaultdict
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch

from .rotated_merge import boxes_to_scene, class_aware_rotated_nms

__all__ = ['PATCH_NAME_PATTERN', 'parse_patch_name', 'merge_patch_detections']

# <image>__<rate>__<x>___<y>, as written by tools/dataset_converters/dota_split.py
PATCH_NAME_PATTERN = re.compile(
    r'^(?P<image>.+?)__(?P<rate>\d+(?:\.\d+)?)__(?P<x>\d+)___(?P<y>\d+)$'
)


def parse_patch_name(name: str) -> Tuple[str, float, int, int]:
    """``P0001__0.5__824___0`` -> ('P0001', 0.5, 824, 0)."""
    match = PATCH_NAME_PATTERN.match(name)
    if match is None:
        raise ValueError(
            f'patch name {name!r} is not <image>__<rate>__<x>___<y>; cut the '
            'scenes with tools/dataset_converters/dota_split.py before '
            'merging'
        )
    return (
        match['image'],
        float(match['rate']),
        int(match['x']),
        int(match['y']),
    )


def merge_patch_detections(
    patch_results: Sequence[dict], num_classes: int, iou_thr: float = 0.1
) -> Dict[str, List[np.ndarray]]:
    """Scene-level detections from patch-level ones.

    Args:
        patch_results: one dict per patch with ``img_id`` (the patch name),
            ``bboxes`` (N, 5) rotated boxes (cx, cy, w, h, angle) in patch pixels,
            ``scores`` (N,) and ``labels`` (N,).
        num_classes: number of classes.
        iou_thr: rotated-NMS IoU threshold between overlapping patches.

    Returns:
        ``{scene id: [class 0 dets, ..., class C-1 dets]}``, each (M, 6) float32
        ``cx, cy, w, h, angle, score`` in scene pixels, sorted by score.
    """
    collected: Dict[str, List[Tuple[torch.Tensor, ...]]] = defaultdict(list)
    for result in patch_results:
        scene, rate, x, y = parse_patch_name(result['img_id'])
        boxes = torch.as_tensor(
            np.asarray(result['bboxes'], dtype=np.float32).reshape(-1, 5)
        )
        collected[scene].append(
            (
                boxes_to_scene(boxes, (x, y), rate),
                torch.as_tensor(
                    np.asarray(result['scores'], np.float32)
                ).reshape(-1),
                torch.as_tensor(np.asarray(result['labels']))
                .reshape(-1)
                .long(),
            )
        )
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    merged = {}
    for scene, chunks in collected.items():
        boxes, scores, labels = (
            torch.cat(part).to(device) for part in zip(*chunks)
        )
        boxes, scores, labels = class_aware_rotated_nms(
            boxes, scores, labels, iou_thr
        )
        dets = torch.cat([boxes, scores[:, None]], dim=1).cpu().numpy()
        labels = labels.cpu().numpy()
        merged[scene] = [dets[labels == label] for label in range(num_classes)]
    return merged
