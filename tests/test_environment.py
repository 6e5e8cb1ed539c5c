"""The installed stack is the one detection needs: mmcv with compiled rotated ops, no opencd."""

import re

import torch

from mmslffm.testing import REPO_ROOT


def test_mmcv_has_compiled_rotated_ops():
    # An mmcv wheel built without --no-build-isolation has no ops at all and
    # only fails once detection runs; fail here instead.
    from mmcv.ops import box_iou_rotated, nms_rotated

    boxes = torch.tensor(
        [
            [10.0, 10.0, 8.0, 4.0, 0.0],
            [10.0, 10.0, 8.0, 4.0, 0.1],
            [40.0, 40.0, 6.0, 6.0, 0.3],
        ]
    )
    scores = torch.tensor([0.9, 0.8, 0.7])
    _, keep = nms_rotated(boxes, scores, iou_threshold=0.5)
    assert keep.tolist() == [0, 2]
    iou = box_iou_rotated(boxes[:1], boxes[:1])
    assert torch.allclose(iou, torch.ones(1, 1), atol=1e-4)


def test_roi_align_rotated_runs():
    from mmcv.ops import RoIAlignRotated

    feats = torch.rand(1, 2, 16, 16)
    rois = torch.tensor([[0.0, 8.0, 8.0, 6.0, 4.0, 0.5]])
    out = RoIAlignRotated((3, 3), spatial_scale=1.0, sampling_ratio=2)(
        feats, rois
    )
    assert out.shape == (1, 2, 3, 3)


def test_nothing_imports_opencd():
    pattern = re.compile(r'^\s*(import|from)\s+opencd\b', re.MULTILINE)
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for folder in ('mmslffm', 'tools', 'configs', 'benchmarks')
        for path in (REPO_ROOT / folder).rglob('*.py')
        if pattern.search(path.read_text())
    ]
    assert offenders == []
