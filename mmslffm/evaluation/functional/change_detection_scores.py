"""Binary change-detection scores from a confusion matrix summed over a whole split.

The literature (BIT, ChangeFormer, ...) reports precision, recall, F1 and IoU of the *change*
class and overall accuracy, all from one confusion matrix accumulated over every pixel of the
split, not averaged per image. open-cd/mmseg's ``mFscore`` is the *class average* of the
F-score of "unchanged" and "changed"; it is reported too, under that name.

Precision, recall, F1 and IoU come from :mod:`mmslffm.evaluation.functional.class_scores`,
shared with the segmentation metric, with its zero-denominator rule: an empty denominator
scores 1 when the class made no error, else 0 (a split with no change and none predicted
scores 1, never NaN).
"""

from typing import Dict

import numpy as np
import torch

from .class_scores import (
    class_scores,
    counts_from_confusion,
    mean_over_present,
    present_classes,
)

__all__ = ['binary_confusion_matrix', 'change_detection_scores']


def binary_confusion_matrix(
    prediction: torch.Tensor, target: torch.Tensor, ignore_index: int = 255
) -> np.ndarray:
    """Count pixels by (target, prediction) class.

    Args:
        prediction: (H, W) integer map in {0, 1}.
        target: (H, W) integer map in {0, 1, ignore_index}.
        ignore_index: target value of pixels left out.

    Returns:
        int64 (2, 2) array ``[[TN, FP], [FN, TP]]`` (rows: target).
    """
    if prediction.shape != target.shape:
        raise ValueError(
            f'prediction {tuple(prediction.shape)} and target '
            f'{tuple(target.shape)} differ in shape'
        )
    valid = target != ignore_index
    target = target[valid].long()
    prediction = prediction[valid].long()
    for name, values in (('prediction', prediction), ('target', target)):
        if values.numel() and (values.min() < 0 or values.max() > 1):
            raise ValueError(
                f'{name} of a binary change map holds values '
                f'outside {{0, 1}}: {values.unique()[:6].tolist()}'
            )
    counts = torch.bincount(target * 2 + prediction, minlength=4)
    return counts.view(2, 2).cpu().numpy().astype(np.int64)


def change_detection_scores(confusion: np.ndarray) -> Dict[str, float]:
    """Scores in [0, 1] from ``[[TN, FP], [FN, TP]]``.

    Returns:
        ``Precision_change``, ``Recall_change``, ``F1_change``,
        ``IoU_change``, ``OA``, ``Kappa``, and the class averages over
        unchanged/changed ``mFscore`` and ``mIoU``.
    """
    confusion = np.asarray(confusion, dtype=np.int64)
    if confusion.shape != (2, 2):
        raise ValueError(
            f'a binary confusion matrix is (2, 2), got {confusion.shape}'
        )
    total = int(confusion.sum())
    if total == 0:
        raise ValueError(
            'no labelled pixel to score (empty split, or every '
            'pixel is ignore_index)'
        )
    counts = counts_from_confusion(confusion)
    per_class = class_scores(**counts)  # index 0: unchanged, 1: changed
    present = present_classes(**counts)
    scores = {
        f'{key}_change': float(per_class[key][1])
        for key in ('Precision', 'Recall', 'F1', 'IoU')
    }
    scores['OA'] = float(np.trace(confusion)) / total
    scores['Kappa'] = _cohen_kappa(confusion)
    scores['mFscore'] = mean_over_present(per_class['F1'], present)
    scores['mIoU'] = mean_over_present(per_class['IoU'], present)
    return scores


def _cohen_kappa(confusion: np.ndarray) -> float:
    """Cohen's kappa of a (K, K) confusion matrix; 1 when chance agreement is 1
    (every pixel in one class, labelled and predicted alike)."""
    total = confusion.sum()
    observed = np.trace(confusion) / total
    expected = float(confusion.sum(0) @ confusion.sum(1)) / total**2
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0
