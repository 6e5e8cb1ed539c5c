"""Class scores from counts: hand-computed cases, the zero-denominator rule, and agreement
with scikit-learn, mmseg's IoUMetric and between the two metrics that use them."""

import numpy as np
import pytest
import torch
from mmseg.evaluation import IoUMetric
from sklearn.metrics import (
    confusion_matrix,
    f1_score,
    jaccard_score,
    precision_score,
    recall_score,
)

from mmslffm.evaluation import SegmentationMetric, change_detection_scores
from mmslffm.evaluation.functional import (
    class_scores,
    counts_from_confusion,
    mean_over_present,
    present_classes,
)


def test_counts_from_confusion_by_hand():
    # rows: ground truth, columns: prediction
    counts = counts_from_confusion([[5, 1, 0], [2, 3, 0], [0, 4, 0]])
    np.testing.assert_array_equal(counts['tp'], [5, 3, 0])
    np.testing.assert_array_equal(counts['fp'], [2, 5, 0])
    np.testing.assert_array_equal(counts['fn'], [1, 2, 4])


def test_counts_need_a_square_matrix():
    with pytest.raises(ValueError, match=r'\(K, K\)'):
        counts_from_confusion(np.zeros((2, 3)))


def test_scores_by_hand():
    scores = class_scores(tp=[3, 0], fp=[1, 2], fn=[2, 0])
    np.testing.assert_allclose(scores['IoU'], [3 / 6, 0])
    np.testing.assert_allclose(scores['F1'], [6 / 9, 0])
    np.testing.assert_allclose(scores['Precision'], [3 / 4, 0])
    np.testing.assert_allclose(scores['Recall'], [3 / 5, 0])  # 0/0, FP>0


@pytest.mark.parametrize(
    'tp, fp, fn, expected',
    [
        # absent from labels and prediction: every score 1, never NaN
        (0, 0, 0, dict(IoU=1, F1=1, Precision=1, Recall=1)),
        # labelled, never predicted: precision 0/0 with a miss -> 0
        (0, 0, 4, dict(IoU=0, F1=0, Precision=0, Recall=0)),
        # predicted, never labelled: recall 0/0 with a false alarm -> 0
        (0, 3, 0, dict(IoU=0, F1=0, Precision=0, Recall=0)),
    ],
)
def test_zero_denominator_rule(tp, fp, fn, expected):
    scores = class_scores([tp], [fp], [fn])
    assert {k: float(v[0]) for k, v in scores.items()} == expected


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match='negative'):
        class_scores([1], [-1], [0])


def test_means_leave_out_classes_absent_from_both():
    tp, fp, fn = np.array([2, 0, 0]), np.array([2, 0, 1]), np.array([0, 0, 0])
    present = present_classes(tp, fp, fn)
    np.testing.assert_array_equal(present, [True, False, True])
    iou = class_scores(tp, fp, fn)['IoU']  # [0.5, 1 (absent), 0]
    assert mean_over_present(iou, present) == pytest.approx(0.25)
    assert np.isnan(mean_over_present(iou, np.zeros(3, bool)))


def _random_labels(seed: int, num_classes: int = 4, size: int = 500):
    rng = np.random.default_rng(seed)
    target = rng.integers(0, num_classes, size)
    prediction = np.where(
        rng.random(size) < 0.6, target, rng.integers(0, num_classes, size)
    )
    return target, prediction


@pytest.mark.parametrize('seed', [0, 1])
def test_equal_to_scikit_learn(seed):
    target, prediction = _random_labels(seed)
    scores = class_scores(
        **counts_from_confusion(confusion_matrix(target, prediction))
    )
    for name, reference in (
        ('IoU', jaccard_score),
        ('F1', f1_score),
        ('Precision', precision_score),
        ('Recall', recall_score),
    ):
        np.testing.assert_allclose(
            scores[name],
            reference(target, prediction, average=None),
            err_msg=name,
        )


def test_means_equal_mmseg_when_a_class_is_absent():
    """mmseg's NaN-and-nanmean gives the same mIoU and mF1 (every present
    class is predicted here) as our rule."""
    target, prediction = _random_labels(2, num_classes=3)
    target[target == 2] = 0
    prediction[prediction == 2] = 1  # class 2 absent from both
    areas = [
        torch.from_numpy(np.bincount(values, minlength=3)).double()
        for values in (target[target == prediction], prediction, target)
    ]
    intersect, pred_area, label_area = areas
    union = pred_area + label_area - intersect
    theirs = IoUMetric.total_area_to_metrics(
        intersect, union, pred_area, label_area, ['mIoU', 'mFscore']
    )
    counts = dict(
        tp=intersect.numpy(),
        fp=(pred_area - intersect).numpy(),
        fn=(label_area - intersect).numpy(),
    )
    ours = class_scores(**counts)
    present = present_classes(**counts)
    for our_key, their_key in (('IoU', 'IoU'), ('F1', 'Fscore')):
        assert mean_over_present(ours[our_key], present) == pytest.approx(
            np.nanmean(theirs[their_key])
        )


@pytest.mark.parametrize(
    'confusion',
    [
        [[10, 1], [1, 3]],  # both classes present
        [[16, 0], [0, 0]],  # no change, none predicted
        [[12, 4], [0, 0]],  # no change, false alarms
        [[12, 0], [4, 0]],  # change never predicted
    ],
)
def test_segmentation_and_change_metrics_agree(confusion):
    """The same (target, prediction) pixels give the same scores in both."""
    (tn, fp), (fn, tp) = confusion
    target = [0] * (tn + fp) + [1] * (fn + tp)
    prediction = [0] * tn + [1] * fp + [0] * fn + [1] * tp
    metric = SegmentationMetric()
    metric.dataset_meta = dict(classes=('unchanged', 'changed'))
    metric.process(
        {},
        [
            dict(
                pred_sem_seg=dict(data=torch.tensor([prediction])),
                gt_sem_seg=dict(data=torch.tensor([target])),
                img_path='pair.png',
            )
        ],
    )
    segmentation = metric.compute_metrics(metric.results)
    change = {
        key: round(value * 100, 2)
        for key, value in change_detection_scores(np.array(confusion)).items()
    }
    assert segmentation['IoU.changed'] == change['IoU_change']
    assert segmentation['F1.changed'] == change['F1_change']
    assert segmentation['mIoU'] == change['mIoU']
    assert segmentation['mF1'] == change['mFscore']
    assert segmentation['OA'] == change['OA']
