"""Change-detection scores against hand-computed confusion matrices."""

import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample
from PIL import Image

from mmslffm.evaluation import (
    ChangeDetectionMetric,
    binary_confusion_matrix,
    change_detection_scores,
)

# 4x4 example, 255 = ignored. By hand over the 15 valid pixels:
# TP (target 1, pred 1) = 3, FN = 1 at (0, 1), FP = 1 at (1, 2), TN = 10.
TARGET = [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 255]]
PREDICTION = [[1, 0, 0, 0], [1, 1, 1, 0], [0, 0, 0, 0], [0, 0, 0, 1]]


def sample(prediction, target, name='pair.png') -> dict:
    data_sample = SegDataSample(metainfo=dict(img_path=f'/data/A/{name}'))
    data_sample.pred_sem_seg = PixelData(data=torch.tensor([prediction]))
    data_sample.gt_sem_seg = PixelData(data=torch.tensor([target]))
    return data_sample.to_dict()  # what mmengine's Evaluator hands a metric


def test_confusion_matrix_by_hand():
    confusion = binary_confusion_matrix(
        torch.tensor(PREDICTION), torch.tensor(TARGET)
    )
    np.testing.assert_array_equal(confusion, [[10, 1], [1, 3]])


def test_scores_by_hand():
    scores = change_detection_scores(np.array([[10, 1], [1, 3]]))
    expected_kappa = (13 / 15 - 137 / 225) / (1 - 137 / 225)  # = 58 / 88
    assert scores == pytest.approx(
        dict(
            Precision_change=3 / 4,
            Recall_change=3 / 4,
            F1_change=6 / 8,
            IoU_change=3 / 5,
            OA=13 / 15,
            Kappa=expected_kappa,
            mFscore=(20 / 22 + 6 / 8) / 2,
            mIoU=(10 / 12 + 3 / 5) / 2,
        )
    )


def test_all_unchanged_image_is_defined():
    perfect = change_detection_scores(np.array([[16, 0], [0, 0]]))
    assert perfect == pytest.approx(
        dict(
            Precision_change=1,
            Recall_change=1,
            F1_change=1,
            IoU_change=1,
            OA=1,
            Kappa=1,
            mFscore=1,
            mIoU=1,
        )
    )
    false_alarm = change_detection_scores(np.array([[12, 4], [0, 0]]))
    assert false_alarm['Precision_change'] == 0
    assert false_alarm['Recall_change'] == 0
    assert false_alarm['F1_change'] == 0
    assert false_alarm['OA'] == pytest.approx(12 / 16)
    missed = change_detection_scores(np.array([[12, 0], [4, 0]]))
    assert missed['Precision_change'] == 0 and missed['F1_change'] == 0


def test_empty_split_is_an_error():
    with pytest.raises(ValueError, match='no labelled pixel'):
        change_detection_scores(np.zeros((2, 2), dtype=np.int64))


def test_values_outside_binary_are_refused():
    with pytest.raises(ValueError, match='outside'):
        binary_confusion_matrix(torch.tensor([[2, 0]]), torch.tensor([[1, 0]]))


def test_metric_accumulates_over_the_split_not_per_image():
    metric = ChangeDetectionMetric()
    metric.dataset_meta = dict(classes=('unchanged', 'changed'))
    unchanged = [[0] * 4] * 4
    metric.process(
        {},
        [
            sample(PREDICTION, TARGET, 'a.png'),
            sample(unchanged, unchanged, 'b.png'),
        ],
    )
    scores = metric.evaluate(2)
    # Summed matrix [[26, 1], [1, 3]]: change-class scores as the first image
    # alone, OA over all 31 pixels. A per-image mean would give F1 (75+100)/2.
    assert scores['F1_change'] == pytest.approx(75.0)
    assert scores['OA'] == pytest.approx(100 * 29 / 31)
    assert scores['mFscore'] == pytest.approx(100 * (52 / 54 + 6 / 8) / 2)


def test_metric_writes_change_maps(tmp_path):
    metric = ChangeDetectionMetric(output_dir=str(tmp_path))
    metric.dataset_meta = dict(classes=('unchanged', 'changed'))
    metric.process({}, [sample(PREDICTION, TARGET, 'tile_0000_0256.png')])
    change_map = np.asarray(Image.open(tmp_path / 'tile_0000_0256.png'))
    np.testing.assert_array_equal(change_map, np.array(PREDICTION) * 255)
    errors = np.asarray(Image.open(tmp_path / 'tile_0000_0256_errors.png'))
    assert errors[0, 0].tolist() == [255, 255, 255]  # TP white
    assert errors[1, 2].tolist() == [255, 0, 0]  # FP red
    assert errors[0, 1].tolist() == [0, 255, 0]  # FN green
    assert errors[2, 2].tolist() == [0, 0, 0]  # TN black
    assert errors[3, 3].tolist() == [128, 128, 128]  # ignored grey


def test_format_only_needs_an_output_dir():
    with pytest.raises(ValueError, match='output_dir'):
        ChangeDetectionMetric(format_only=True)
