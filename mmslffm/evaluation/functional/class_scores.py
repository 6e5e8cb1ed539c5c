"""Per-class IoU, F1, precision and recall from pixel counts, with one zero-denominator rule.

The segmentation metric (ISPRS, LoveDA) and the change-detection metric (LEVIR-CD) both score
classes from true-positive / false-positive / false-negative counts summed over a split. They
share this module so the two cannot disagree. mmseg's ``IoUMetric.total_area_to_metrics``
returns NaN for every zero denominator and ``sklearn.metrics`` works on label arrays (billions
of pixels per split) rather than counts, hence this small function.

**Zero-denominator rule.** A ratio whose denominator is zero scores 1 when the class made no
error (no false positive and no false negative) and 0 otherwise:

* IoU = TP / (TP + FP + FN) and F1 = 2TP / (2TP + FP + FN) are undefined only for a class
  absent from both ground truth and prediction: 1 (nothing to find, nothing wrongly found;
  a LEVIR-CD split with no change and none predicted scores 100, not NaN).
* precision = TP / (TP + FP) with nothing predicted: 1 if FN = 0, else 0 (objects missed).
* recall = TP / (TP + FN) with nothing labelled: 1 if FP = 0, else 0 (false alarms).

**Class means** (mIoU, mF1, ...) average over the classes *present* in the ground truth or the
prediction (TP + FP + FN > 0); a class absent from both is left out, as mmseg's ``nanmean``
leaves out its NaN, so mIoU equals mmseg's. Unlike mmseg, a class that is labelled but never
predicted counts with F1 and precision 0 in mF1 and mPrecision (mmseg's precision is NaN there,
which drops the missed class from both means).
"""

from typing import Dict

import numpy as np

__all__ = [
    'counts_from_confusion',
    'class_scores',
    'present_classes',
    'mean_over_present',
]

SCORE_NAMES = ('IoU', 'F1', 'Precision', 'Recall')


def counts_from_confusion(confusion: np.ndarray) -> Dict[str, np.ndarray]:
    """TP, FP, FN per class from a (K, K) confusion matrix.

    Args:
        confusion: (K, K) counts; rows are the ground-truth class, columns
            the predicted class.

    Returns:
        ``dict(tp=, fp=, fn=)``, each (K,) int64.
    """
    confusion = np.asarray(confusion, dtype=np.int64)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1]:
        raise ValueError(
            f'a confusion matrix is (K, K), got shape {confusion.shape}'
        )
    tp = np.diag(confusion)
    return dict(tp=tp, fp=confusion.sum(0) - tp, fn=confusion.sum(1) - tp)


def _ratio(
    numerator: np.ndarray, denominator: np.ndarray, error_free: np.ndarray
) -> np.ndarray:
    """numerator / denominator; where the denominator is 0: 1 if error-free, else 0."""
    safe = np.where(denominator > 0, denominator, 1)
    return np.where(
        denominator > 0, numerator / safe, error_free.astype(np.float64)
    )


def class_scores(
    tp: np.ndarray, fp: np.ndarray, fn: np.ndarray
) -> Dict[str, np.ndarray]:
    """IoU, F1, precision and recall per class, as fractions in [0, 1].

    Args:
        tp, fp, fn: (K,) true-positive, false-positive and false-negative
            counts per class (pixels, or objects).

    Returns:
        ``dict(IoU=, F1=, Precision=, Recall=)``, each (K,) float64; zero
        denominators follow the module's rule (never NaN).
    """
    tp, fp, fn = (np.asarray(x, dtype=np.float64) for x in (tp, fp, fn))
    if np.any(tp < 0) or np.any(fp < 0) or np.any(fn < 0):
        raise ValueError('TP, FP and FN counts must not be negative')
    return dict(
        IoU=_ratio(tp, tp + fp + fn, (fp == 0) & (fn == 0)),
        F1=_ratio(2 * tp, 2 * tp + fp + fn, (fp == 0) & (fn == 0)),
        Precision=_ratio(tp, tp + fp, fn == 0),
        Recall=_ratio(tp, tp + fn, fp == 0),
    )


def present_classes(
    tp: np.ndarray, fp: np.ndarray, fn: np.ndarray
) -> np.ndarray:
    """(K,) bool: the class occurs in the ground truth or the prediction."""
    return (np.asarray(tp) + np.asarray(fp) + np.asarray(fn)) > 0


def mean_over_present(values: np.ndarray, present: np.ndarray) -> float:
    """Mean of (K,) per-class ``values`` over the ``present`` classes.

    NaN when no class is present (nothing was labelled or predicted).
    """
    values = np.asarray(values, dtype=np.float64)[np.asarray(present)]
    return float(values.mean()) if values.size else float('nan')
