"""Binary change-detection scores from a confusion matrix summed over a whole split.

The literature (BIT, ChangeFormer, ...) reports precision, recall, F1 and IoU of the *change*
class and overall accuracy, all from one confusion matrix accumulated over every pixel of the
split, not averaged per image. open-cd/mmseg's ``mFscore`` is the *class average* of the
F-score of "unchanged" and "changed"; it is reported too, under that name.

Empty denominators get the value that agrees with the other scores instead of NaN: when no
pixel is predicted changed, precision is 1 if no pixel is changed either (nothing was missed)
else 0; likewise recall when no pixel is changed; F1 = 2TP / (2TP + FP + FN) and IoU are 1
when TP + FP + FN = 0 (the split has no change and none was predicted).
"""
from typing import Dict

import numpy as np
import torch

__all__ = ['binary_confusion_matrix', 'change_detection_scores']


def binary_confusion_matrix(prediction: torch.Tensor, target: torch.Tensor,
                            ignore_index: int = 255) -> np.ndarray:
    """Count pixels by (target, prediction) class.

    Args:
        prediction: (H, W) integer map in {0, 1}.
        target: (H, W) integer map in {0, 1, ignore_index}.
        ignore_index: target value of pixels left out.

    Returns:
        int64 (2, 2) array ``[[TN, FP], [FN, TP]]`` (rows: target).
    """
    if prediction.shape != target.shape:
        raise ValueError(f'prediction {tuple(prediction.shape)} and target '
                         f'{tuple(target.shape)} differ in shape')
    valid = target != ignore_index
    target = target[valid].long()
    prediction = prediction[valid].long()
    for name, values in (('prediction', prediction), ('target', target)):
        if values.numel() and (values.min() < 0 or values.max() > 1):
            raise ValueError(f'{name} of a binary change map holds values '
                             f'outside {{0, 1}}: {values.unique()[:6].tolist()}')
    counts = torch.bincount(target * 2 + prediction, minlength=4)
    return counts.view(2, 2).cpu().numpy().astype(np.int64)


def _ratio(numerator: int, denominator: int, when_empty: float) -> float:
    return numerator / denominator if denominator else when_empty


def change_detection_scores(confusion: np.ndarray) -> Dict[str, float]:
    """Scores in [0, 1] from ``[[TN, FP], [FN, TP]]``.

    Returns:
        ``Precision_change``, ``Recall_change``, ``F1_change``,
        ``IoU_change``, ``OA``, ``Kappa``, and the class averages over
        unchanged/changed ``mFscore`` and ``mIoU``.
    """
    (tn, fp), (fn, tp) = np.asarray(confusion, dtype=np.int64).tolist()
    total = tn + fp + fn + tp
    if total == 0:
        raise ValueError('no labelled pixel to score (empty split, or every '
                         'pixel is ignore_index)')
    scores = dict(
        Precision_change=_ratio(tp, tp + fp, float(fn == 0)),
        Recall_change=_ratio(tp, tp + fn, float(fp == 0)),
        F1_change=_ratio(2 * tp, 2 * tp + fp + fn, 1.),
        IoU_change=_ratio(tp, tp + fp + fn, 1.),
        OA=(tp + tn) / total)
    f1_unchanged = _ratio(2 * tn, 2 * tn + fp + fn, 1.)
    iou_unchanged = _ratio(tn, tn + fp + fn, 1.)
    expected = ((tp + fp) * (tp + fn) + (tn + fn) * (tn + fp)) / total**2
    scores['Kappa'] = _ratio(scores['OA'] - expected, 1 - expected, 1.)
    scores['mFscore'] = (f1_unchanged + scores['F1_change']) / 2
    scores['mIoU'] = (iou_unchanged + scores['IoU_change']) / 2
    return scores
