"""SegmentationMetric against values computed by hand on a 2 x 4 mask."""

import numpy as np
import pytest
import torch
from PIL import Image

from mmslffm.evaluation import SegmentationMetric

CLASSES = ('road', 'building', 'clutter')
IGNORE = 255
# gt (after reduce_zero_label) and prediction; one ignored pixel, one clutter pixel.
GT = [[0, 0, 1, 1], [0, 2, 1, IGNORE]]
PRED = [[0, 1, 1, 1], [2, 2, 0, 0]]


def _evaluate(**kwargs) -> dict:
    metric = SegmentationMetric(**kwargs)
    metric.dataset_meta = dict(classes=CLASSES)
    sample = dict(
        pred_sem_seg=dict(data=torch.tensor([PRED])),
        gt_sem_seg=dict(data=torch.tensor([GT])),
        img_path='tile_0.png',
    )
    metric.process({}, [sample])
    return metric.compute_metrics(metric.results)


def test_clutter_excluded_matches_hand_computation():
    # Scored pixels: gt != 255 and gt != clutter -> 6, of which 3 correct.
    # road: TP 1, predicted 2 (on scored pixels), labelled 3 -> IoU 1/4, F1 2/5
    # building: TP 2, predicted 3, labelled 3 -> IoU 2/4, F1 4/6
    metrics = _evaluate(exclude_classes=('clutter',))
    assert metrics['OA'] == 50.0
    assert metrics['IoU.road'] == 25.0
    assert metrics['IoU.building'] == 50.0
    assert metrics['F1.road'] == 40.0
    assert metrics['F1.building'] == 66.67
    assert metrics['mIoU'] == 37.5
    assert metrics['mF1'] == 53.33
    assert metrics['mPrecision'] == 58.33  # (1/2 + 2/3) / 2
    assert metrics['mRecall'] == 50.0  # (1/3 + 2/3) / 2
    assert not any('clutter' in key for key in metrics)


def test_all_classes_scored_when_nothing_excluded():
    # The clutter pixel now counts (correct): 4 of 7; clutter IoU 1/2, F1 2/3.
    metrics = _evaluate()
    assert metrics['OA'] == 57.14
    assert metrics['IoU.clutter'] == 50.0
    assert metrics['F1.clutter'] == 66.67
    assert metrics['mIoU'] == 41.67  # (1/4 + 1/2 + 1/2) / 3
    assert metrics['mF1'] == 57.78  # (2/5 + 2/3 + 2/3) / 3


def test_unknown_excluded_class_is_a_config_error():
    with pytest.raises(ValueError, match='not classes of the dataset'):
        _evaluate(exclude_classes=('Clutter',))


@pytest.mark.parametrize('offset', [0, 1])
def test_format_only_writes_offset_predictions(tmp_path, offset):
    metric = SegmentationMetric(
        format_only=True, output_dir=str(tmp_path), submission_offset=offset
    )
    metric.dataset_meta = dict(classes=CLASSES)
    metric.process(
        {},
        [
            dict(
                pred_sem_seg=dict(data=torch.tensor([PRED])),
                img_path='scenes/4096.png',
            )
        ],
    )
    assert metric.compute_metrics(metric.results) == {}
    written = np.array(Image.open(tmp_path / '4096.png'))
    np.testing.assert_array_equal(written, np.array(PRED) + offset)


def test_format_only_needs_an_output_dir():
    with pytest.raises(ValueError, match='output_dir'):
        SegmentationMetric(format_only=True)
