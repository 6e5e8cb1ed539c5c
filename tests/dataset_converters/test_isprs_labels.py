"""ISPRS colour -> index conversion, with unknown colours reported and ignored."""

import numpy as np

from mmslffm.dataset_converters.isprs_labels import (
    BOUNDARY_COLOUR,
    ISPRS_PALETTE,
    format_unknown_colours,
    rgb_to_index,
)

UNKNOWN = (254, 0, 0)  # almost clutter red: must not become clutter


def _label() -> np.ndarray:
    row_classes = list(ISPRS_PALETTE)  # 1..6
    row_other = [
        BOUNDARY_COLOUR,
        UNKNOWN,
        UNKNOWN,
        (0, 0, 255),
        UNKNOWN,
        BOUNDARY_COLOUR,
    ]
    return np.array([row_classes, row_other], dtype=np.uint8)


def test_palette_colours_map_to_mmseg_potsdam_indices():
    index, _ = rgb_to_index(_label())
    # impervious, building, low vegetation, tree, car, clutter
    np.testing.assert_array_equal(index[0], [1, 2, 3, 4, 5, 6])


def test_unknown_colours_become_ignore_and_are_counted():
    index, unknown = rgb_to_index(_label(), ignore_colours=(BOUNDARY_COLOUR,))
    np.testing.assert_array_equal(index[1], [0, 0, 0, 2, 0, 0])
    assert unknown == {UNKNOWN: 3}


def test_boundary_black_is_reported_in_full_labels():
    _, unknown = rgb_to_index(_label())
    assert unknown == {UNKNOWN: 3, BOUNDARY_COLOUR: 2}
    assert (
        format_unknown_colours(unknown)
        == '5 px: (254, 0, 0) x 3, (0, 0, 0) x 2'
    )
