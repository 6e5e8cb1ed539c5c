"""A split's pixel confusion matrix (segmentation) drawn as a PNG.

The drawing is scikit-learn's ``ConfusionMatrixDisplay``, rows normalised to percent of each
ground-truth class; the counts come from
:func:`mmslffm.evaluation.functional.pixel_confusion`.
"""

from typing import Sequence

import numpy as np

__all__ = ['save_confusion_png']


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
