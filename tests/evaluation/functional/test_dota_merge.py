"""Patch -> scene merge: name parsing, shift and unscale, NMS, and the split/merge round trip."""

import os

import numpy as np
import pytest
import torch
from mmrotate.structures.bbox import qbox2rbox, rbox2qbox

from mmslffm.dataset_converters.dota_split import SplitSettings, split_scene
from mmslffm.datasets.dota_labels import DOTA_CLASSES, read_dota_labels
from mmslffm.evaluation.functional.dota_merge import (
    merge_patch_detections,
    parse_patch_name,
)


def test_parse_patch_name():
    assert parse_patch_name('P0001__1__824___0') == ('P0001', 1.0, 824, 0)
    assert parse_patch_name('my__scene__0.5__10___20') == (
        'my__scene',
        0.5,
        10,
        20,
    )
    with pytest.raises(ValueError, match='dota_split.py'):
        parse_patch_name('P0001_824_0')


def test_merge_shifts_unscales_and_suppresses_duplicates():
    box = [10.0, 20.0, 4.0, 6.0, 0.3]
    results = [
        dict(
            img_id='S__0.5__100___50',
            bboxes=np.array([box]),
            scores=np.array([0.9]),
            labels=np.array([2]),
        ),
        # the same object seen from a neighbouring patch, lower score
        dict(
            img_id='S__0.5__90___50',
            bboxes=np.array([[20.0, 20.0, 4.0, 6.0, 0.3]]),
            scores=np.array([0.6]),
            labels=np.array([2]),
        ),
        dict(
            img_id='T__1__0___0',
            bboxes=np.zeros((0, 5)),
            scores=np.zeros(0),
            labels=np.zeros(0),
        ),
    ]
    merged = merge_patch_detections(results, num_classes=3)
    assert sorted(merged) == ['S', 'T']
    assert [len(d) for d in merged['S']] == [0, 0, 1]
    np.testing.assert_allclose(
        merged['S'][2][0], [220, 140, 8, 12, 0.3, 0.9], rtol=1e-6
    )
    assert all(len(d) == 0 for d in merged['T'])


def _rboxes(polygons):
    return qbox2rbox(torch.as_tensor(np.stack(polygons), dtype=torch.float32))


def _corner_sets(polygons):
    """(N, 8) -> (N, 4, 2) corners in a canonical (sorted) order."""
    corners = polygons.numpy().reshape(-1, 4, 2).round(3)
    order = np.lexsort((corners[..., 1], corners[..., 0]), axis=-1)
    return np.take_along_axis(corners, order[..., None], axis=1)


@pytest.mark.parametrize('rates', [(1.0,), (1.0, 0.5)])
def test_split_then_merge_gives_back_the_scene_boxes(tmp_path, rates):
    """Patch labels used as detections come back as the original scene boxes.

    256 patches with a 64 px gap cut many of P1888's 64 vehicles at patch
    borders; every cut object is also whole in a neighbouring patch.
    """
    images, labels = tmp_path / 'images', tmp_path / 'annfiles'
    images.mkdir()
    labels.mkdir()
    split_scene(
        'demo/data/dota/images/P1888.png',
        'demo/data/dota/labelTxt/P1888.txt',
        DOTA_CLASSES,
        str(images),
        str(labels),
        SplitSettings(patch_size=256, gap=64, rates=rates),
    )
    results = []
    rng = np.random.default_rng(0)
    for name in sorted(os.listdir(labels)):
        objects = read_dota_labels(str(labels / name), DOTA_CLASSES).objects
        results.append(
            dict(
                img_id=name[:-4],
                bboxes=_rboxes([o.polygon for o in objects]).numpy()
                if objects
                else np.zeros((0, 5)),
                scores=rng.uniform(0.5, 1, len(objects)),
                labels=np.array(
                    [DOTA_CLASSES.index(o.class_name) for o in objects]
                ),
            )
        )
    cut = sum(
        o.difficult == 2
        for name in os.listdir(labels)
        for o in read_dota_labels(str(labels / name), DOTA_CLASSES).objects
    )
    assert cut > 0, 'the round trip must include objects cut at borders'

    merged = merge_patch_detections(results, len(DOTA_CLASSES))['P1888']
    originals = read_dota_labels(
        'demo/data/dota/labelTxt/P1888.txt', DOTA_CLASSES
    ).objects
    for class_index, class_name in enumerate(DOTA_CLASSES):
        expected = [o.polygon for o in originals if o.class_name == class_name]
        got = merged[class_index]
        assert len(got) == len(expected), class_name
        if not expected:
            continue
        # compared as corner sets (mmcv's rotated IoU of identical boxes is
        # not reliably 1, so it cannot be the judge here)
        got_corners = _corner_sets(rbox2qbox(torch.from_numpy(got[:, :5])))
        expected_corners = _corner_sets(rbox2qbox(_rboxes(expected)))
        distance = np.abs(got_corners[:, None] - expected_corners[None]).max(
            axis=(2, 3)
        )
        assert (distance.min(axis=1) < 0.01).all(), class_name
        assert (distance.min(axis=0) < 0.01).all(), class_name
