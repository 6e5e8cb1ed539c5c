"""Pixel confusion matrices of segmentation, counted on the fly and drawn as a PNG.

The counting is a ``bincount`` over valid pixels (mmseg's confusion-matrix tool is a script
outside its package that re-runs inference from a results file); the drawing is scikit-learn's
``ConfusionMatrixDisplay``, rows normalised to percent of each ground-truth class.
"""

from typing import Sequence

import numpy as np
import torch

__all__ = ['pixel_confusion', 'save_confusion_png']


def pixel_confusion(
    pred: torch.Tensor,
    label: torch.Tensor,
    num_classes: int,
    ignore_index: int,
) -> torch.Tensor:
    """(K, K) int64 counts, rows = ground truth, columns = prediction.

    Args:
        pred, label: (H, W) class indices; ``label == ignore_index`` is left
            out, as are indices outside 0..K-1.
    """
    valid = (label != ignore_index) & (label >= 0) & (label < num_classes)
    codes = label[valid].long() * num_classes + pred[valid].long()
    return (
        torch.bincount(codes, minlength=num_classes**2)
        .reshape(num_classes, num_classes)
        .cpu()
    )


def save_confusion_png(
    confusion: np.ndarray, classes: Sequence[str], path: str, title: str = ''
) -> None:
    """Row-normalised (percent of each true class) confusion matrix to ``path``."""
    import matplotlib

    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    confusion = np.asarray(confusion, dtype=np.float64)
    with np.errstate(divide='ignore', invalid='ignore'):
        percent = np.nan_to_num(
            100 * confusion / confusion.sum(axis=1, keepdims=True)
        )
    side = 1.2 + 0.7 * len(classes)
    figure, axis = plt.subplots(figsize=(side + 1.5, side))
    ConfusionMatrixDisplay(percent, display_labels=list(classes)).plot(
        ax=axis,
        cmap='Blues',
        values_format='.1f',
        xticks_rotation=45,
        colorbar=True,
    )
    axis.set_xlabel('predicted')
    axis.set_ylabel('ground truth (row = 100%)')
    axis.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
