"""Merge rotated detections from overlapping windows or patches into one scene.

Shared by the DOTA patch merge (:mod:`.dota_merge`, the DOTA protocol of Xia et al., CVPR
2018: detect on split patches, shift back, rotated NMS) and large-scene inference
(:mod:`mmslffm.apis.detection_inference`). Two steps:

1. :func:`boxes_to_scene`: a window's boxes move by its offset and, for multi-scale splits,
   are divided by the rate the scene was resized by before cutting.
2. :func:`class_aware_rotated_nms`: mmcv's ``nms_rotated`` run once per class. mmcv 2.3.6's
   ``nms_rotated(labels=...)`` suppresses across classes on the CPU, and ``batched_nms`` moves
   each class's centres by up to ``num_classes`` times the scene size, which costs float32
   precision on 20,000 px DOTA scenes; one call per class on the untouched boxes has neither
   problem (mmcv's ``batched_nms`` does the same loop above 10,000 boxes).
"""

from typing import Sequence, Tuple

import torch

__all__ = ['boxes_to_scene', 'class_aware_rotated_nms']


def boxes_to_scene(
    boxes: torch.Tensor, offset: Sequence[float], rate: float = 1.0
) -> torch.Tensor:
    """Window boxes to scene pixels.

    Args:
        boxes: (N, 5) rotated boxes (cx, cy, w, h, angle) in window pixels.
        offset: (x, y) of the window's top-left corner in the (resized)
            scene.
        rate: the scene was resized by ``rate`` before it was cut (DOTA
            multi-scale splits); 1 for windows of the original scene.

    Returns:
        (N, 5) boxes ``((cx + x) / rate, (cy + y) / rate, w / rate,
        h / rate, angle)``; the input is not modified.
    """
    exact = boxes.double()  # one rounding to the boxes' dtype, at the end
    scene = exact.clone()
    scene[:, :2] = (exact[:, :2] + exact.new_tensor(offset)) / rate
    scene[:, 2:4] = exact[:, 2:4] / rate
    return scene.to(boxes.dtype)


def class_aware_rotated_nms(
    boxes: torch.Tensor,
    scores: torch.Tensor,
    labels: torch.Tensor,
    iou_threshold: float,
) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Rotated NMS within each class; boxes of different classes never suppress.

    Args:
        boxes: (N, 5) rotated boxes (cx, cy, w, h, angle in rad).
        scores: (N,) confidences.
        labels: (N,) integer class indices.
        iou_threshold: a box overlapping a higher-scored box of its class
            by more than this rotated IoU is dropped.

    Returns:
        The kept ``boxes`` (M, 5), ``scores`` (M,) and ``labels`` (M,), by
        descending score (ties: input order per class, classes ascending).
    """
    # imported here: metrics and pretraining import this package without
    # needing mmcv's compiled ops, only a merge does
    from mmcv.ops import nms_rotated

    if boxes.numel() == 0:
        return boxes.reshape(0, 5), scores.reshape(0), labels.reshape(0)
    kept = []
    for label in torch.unique(labels):
        index = torch.nonzero(labels == label).view(-1)
        _, keep = nms_rotated(boxes[index], scores[index], iou_threshold)
        kept.append(index[keep])
    kept = torch.cat(kept)
    order = torch.sort(scores[kept], descending=True, stable=True).indices
    kept = kept[order]
    return boxes[kept], scores[kept], labels[kept]
