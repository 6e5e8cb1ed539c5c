"""Scene merge of rotated detections: the shift, class-aware NMS against mmcv's batched_nms,
and the DOTA patch merge and large-scene inference giving the same scene detections."""

import numpy as np
import pytest
import torch
from mmcv.ops import batched_nms

from mmslffm.evaluation.functional import (
    boxes_to_scene,
    class_aware_rotated_nms,
)
from mmslffm.evaluation.functional.dota_merge import merge_patch_detections


def test_boxes_to_scene_shifts_and_unscales():
    boxes = torch.tensor([[10.0, 20.0, 4.0, 6.0, 0.3]])
    scene = boxes_to_scene(boxes, (100, 50), rate=0.5)
    torch.testing.assert_close(
        scene, torch.tensor([[220.0, 140.0, 8.0, 12.0, 0.3]])
    )
    assert boxes[0, 0] == 10  # input untouched


def test_nms_is_class_aware():
    boxes = torch.tensor(
        [
            [50.0, 50, 20, 10, 0.3],
            [50, 50, 20, 10, 0.3],
            [51, 50, 20, 10, 0.3],
            [200, 50, 20, 10, 0.0],
        ]
    )
    scores = torch.tensor([0.9, 0.8, 0.7, 0.6])
    labels = torch.tensor([0, 1, 0, 0])
    kept, kept_scores, kept_labels = class_aware_rotated_nms(
        boxes, scores, labels, iou_threshold=0.1
    )
    # box 2 overlaps box 0 (same class); box 1 overlaps it too but is of
    # another class; box 3 is elsewhere
    assert kept_scores.tolist() == pytest.approx([0.9, 0.8, 0.6])
    assert kept_labels.tolist() == [0, 1, 0]
    torch.testing.assert_close(kept, boxes[[0, 1, 3]])


def test_nms_of_nothing_is_empty():
    kept = class_aware_rotated_nms(
        torch.zeros((0, 5)),
        torch.zeros(0),
        torch.zeros(0, dtype=torch.long),
        0.1,
    )
    assert [tuple(t.shape) for t in kept] == [(0, 5), (0,), (0,)]


def _random_detections(seed: int, count: int = 300, num_classes: int = 4):
    """Clustered boxes (many overlaps) in a 400 px scene, distinct scores."""
    generator = torch.Generator().manual_seed(seed)
    centres = torch.rand(count // 6, 2, generator=generator) * 400
    boxes = torch.cat(
        [
            centres.repeat_interleave(6, 0)
            + torch.randn(count, 2, generator=generator) * 4,
            torch.rand(count, 2, generator=generator) * 30 + 5,
            (torch.rand(count, 1, generator=generator) - 0.5) * np.pi,
        ],
        dim=1,
    )
    scores = torch.randperm(count, generator=generator).float() / count
    labels = torch.randint(0, num_classes, (count,), generator=generator)
    return boxes, scores, labels


@pytest.mark.parametrize('seed', [0, 1])
def test_nms_equals_mmcv_batched_nms(seed):
    boxes, scores, labels = _random_detections(seed)
    ours = class_aware_rotated_nms(boxes, scores, labels, 0.1)
    _, keep = batched_nms(
        boxes, scores, labels, dict(type='nms_rotated', iou_threshold=0.1)
    )
    assert 0 < len(keep) < len(boxes)
    torch.testing.assert_close(ours[1], scores[keep])
    torch.testing.assert_close(ours[2], labels[keep])
    torch.testing.assert_close(ours[0], boxes[keep])


def test_dota_merge_and_scene_inference_agree():
    """Two 256 px windows of one scene, merged as DOTA patches (names carry
    the offsets) and as large-scene inference does (offsets of the read
    windows): the same scene detections."""
    boxes, scores, labels = _random_detections(2, count=120)
    windows = {(0, 0): slice(0, 60), (144, 0): slice(60, 120)}
    patch_results, scene_boxes = [], []
    for (x, y), rows in windows.items():
        patch_results.append(
            dict(
                img_id=f'S__1.0__{x}___{y}',
                bboxes=boxes[rows].numpy(),
                scores=scores[rows].numpy(),
                labels=labels[rows].numpy(),
            )
        )
        scene_boxes.append(boxes_to_scene(boxes[rows], (x, y)))
    dota = merge_patch_detections(patch_results, num_classes=4)['S']
    inferred = class_aware_rotated_nms(
        torch.cat(scene_boxes), scores, labels, 0.1
    )
    for label in range(4):
        mine = inferred[2] == label
        expected = torch.cat([inferred[0][mine], inferred[1][mine, None]], 1)
        np.testing.assert_array_equal(dota[label], expected.numpy())
    assert sum(len(d) for d in dota) < len(boxes)  # something was merged
