"""The one confusion-matrix picture of scene classification and segmentation."""

import numpy as np
from PIL import Image

from mmslffm.visualization import draw_confusion_matrix, save_confusion_png


def _blue_share(picture: np.ndarray) -> float:
    """Share of strongly blue pixels (the colour of a full row)."""
    r, g, b = (picture[..., i].astype(int) for i in range(3))
    return float(((b > 80) & (b - r > 60) & (g < 120)).mean())


def test_rows_are_normalised_and_an_empty_row_stays_white():
    # class 2 has no sample: its row must not be drawn as a full row
    confusion = np.array([[90, 10, 0], [0, 5, 0], [0, 0, 0]])
    picture = draw_confusion_matrix(confusion, ['a', 'b', 'c'], 'OA 95')
    assert picture.dtype == np.uint8 and picture.ndim == 3
    assert picture.shape[2] == 3
    diagonal = draw_confusion_matrix(np.diag([90, 5, 1]), ['a', 'b', 'c'])
    # a diagonal matrix has three full cells, the first one two (90 %, 100 %)
    assert _blue_share(diagonal) > _blue_share(picture) > 0


def test_scales_to_many_classes_and_writes_the_same_picture(tmp_path):
    classes = [f'class {i}' for i in range(45)]  # NWPU-RESISC45
    counts = np.random.default_rng(0).integers(0, 5, (45, 45)) + np.diag(
        np.full(45, 50)
    )
    path = tmp_path / 'confusion_matrix.png'
    save_confusion_png(counts, classes, str(path), title='NWPU')
    written = np.array(Image.open(path))
    np.testing.assert_array_equal(
        written, draw_confusion_matrix(counts, classes, 'NWPU')
    )
    assert min(written.shape[:2]) > 1000  # 45 readable rows
