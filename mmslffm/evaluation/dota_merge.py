"""Merge patch detections back into whole DOTA scenes (shift, unscale, rotated NMS per class).

mmrotate's ``DOTAMetric.merge_results`` does the shift and NMS but ignores the scale rate in
patch names (multi-scale splits come back at the wrong size), only writes files (no scene
mAP) and refuses to run twice into the same folder. The merge here is a pure function that the
metric, the submission writer and the tests share.
"""
import re
from collections import defaultdict
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch
from mmcv.ops import nms_rotated

__all__ = ['PATCH_NAME_PATTERN', 'parse_patch_name', 'merge_patch_detections']

# <image>__<rate>__<x>___<y>, as written by tools/dataset_converters/dota_split.py
PATCH_NAME_PATTERN = re.compile(
    r'^(?P<image>.+?)__(?P<rate>\d+(?:\.\d+)?)__(?P<x>\d+)___(?P<y>\d+)$')


def parse_patch_name(name: str) -> Tuple[str, float, int, int]:
    """``P0001__0.5__824___0`` -> ('P0001', 0.5, 824, 0)."""
    match = PATCH_NAME_PATTERN.match(name)
    if match is None:
        raise ValueError(
            f'patch name {name!r} is not <image>__<rate>__<x>___<y>; cut the '
            'scenes with tools/dataset_converters/dota_split.py before '
            'merging')
    return (match['image'], float(match['rate']), int(match['x']),
            int(match['y']))


def merge_patch_detections(patch_results: Sequence[dict],
                           num_classes: int,
                           iou_thr: float = 0.1) -> Dict[str, List[np.ndarray]]:
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
    collected: Dict[str, List[np.ndarray]] = defaultdict(list)
    for result in patch_results:
        scene, rate, x, y = parse_patch_name(result['img_id'])
        boxes = np.asarray(result['bboxes'], dtype=np.float32).reshape(-1, 5)
        scene_boxes = boxes.copy()
        scene_boxes[:, :2] = (boxes[:, :2] + np.array([x, y])) / rate
        scene_boxes[:, 2:4] = boxes[:, 2:4] / rate
        collected[scene].append(
            np.concatenate([
                scene_boxes,
                np.asarray(result['scores'], np.float32).reshape(-1, 1),
                np.asarray(result['labels'], np.float32).reshape(-1, 1)
            ], axis=1))
    merged = {}
    for scene, chunks in collected.items():
        dets = np.concatenate(chunks, axis=0)
        merged[scene] = [
            _nms(dets[dets[:, 6] == label, :6], iou_thr)
            for label in range(num_classes)
        ]
    return merged


def _nms(dets: np.ndarray, iou_thr: float) -> np.ndarray:
    """Rotated NMS of (N, 6) ``box(5), score`` rows; kept rows by descending score."""
    if len(dets) == 0:
        return np.zeros((0, 6), dtype=np.float32)
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    tensor = torch.from_numpy(np.ascontiguousarray(dets)).to(device)
    kept, _ = nms_rotated(tensor[:, :5], tensor[:, 5], iou_thr)
    return kept.cpu().numpy().astype(np.float32)
