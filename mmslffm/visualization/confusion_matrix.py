"""The confusion matrix of a split as a picture: one style for scene classification (images)
and segmentation (pixels).

Rows are ground truth, normalised to percent of each row, so a rare class reads as well as a
common one; each non-empty cell shows that percentage (up to ``MAX_ANNOTATED`` classes,
beyond which the numbers would overlap), the title carries the split's scores. The drawing is
scikit-learn's ``ConfusionMatrixDisplay`` on a matplotlib ``Figure`` of its own (no pyplot
state, no backend switch); the counts come from mmpretrain's ``ConfusionMatrix`` or
:func:`mmslffm.evaluation.functional.pixel_confusion`.
"""

from typing import Sequence

import numpy as np
from PIL import Image

__all__ = ['draw_confusion_matrix', 'save_confusion_png']

MAX_ANNOTATED = 30


def draw_confusion_matrix(
    confusion: np.ndarray, classes: Sequence[str], title: str = ''
) -> np.ndarray:
    """(C, C) counts (rows ground truth) -> (H, W, 3) uint8 RGB picture.

    A row without samples (a class absent from the split) stays white.
    """
    # imported when drawing: importing the metrics stays fast
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from sklearn.metrics import ConfusionMatrixDisplay

    confusion = np.asarray(confusion, dtype=np.float64)
    with np.errstate(divide='ignore', invalid='ignore'):
        percent = np.nan_to_num(
            100 * confusion / confusion.sum(axis=1, keepdims=True)
        )
    many = len(classes) > MAX_ANNOTATED
    side = max(5.0, 1.5 + (0.3 if many else 0.6) * len(classes))
    figure = Figure(figsize=(side + 1.5, side))
    canvas = FigureCanvasAgg(figure)
    axis = figure.add_subplot()
    display = ConfusionMatrixDisplay(percent, display_labels=list(classes))
    display.plot(
        ax=axis,
        cmap='Blues',
        include_values=not many,
        values_format='.1f',
        xticks_rotation=90 if many else 45,
        colorbar=False,
        im_kw=dict(vmin=0, vmax=100),
        text_kw=dict(fontsize=7),
    )
    if not many:  # empty cells unlabelled, so the errors stand out
        for text, count in zip(display.text_.ravel(), confusion.ravel()):
            if count == 0:
                text.set_text('')
    figure.colorbar(
        display.im_, ax=axis, fraction=0.046, pad=0.04, label='% of the row'
    )
    axis.tick_params(labelsize=7 if many else 9)
    axis.set_xlabel('predicted')
    axis.set_ylabel('ground truth (row = 100%)')
    axis.set_title(title)
    figure.tight_layout()
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def save_confusion_png(
    confusion: np.ndarray, classes: Sequence[str], path: str, title: str = ''
) -> None:
    """:func:`draw_confusion_matrix` written to ``path`` (PNG)."""
    Image.fromarray(draw_confusion_matrix(confusion, classes, title)).save(
        path
    )
