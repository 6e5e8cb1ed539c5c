"""Polygon area and window clipping against hand-computed values."""

import numpy as np
import pytest

from mmslffm.datasets.polygons import (
    clip_polygon_to_window,
    fraction_inside_window,
    polygon_area,
)


def test_area_of_square_and_triangle():
    assert polygon_area(np.array([[0, 0], [4, 0], [4, 4], [0, 4]])) == 16
    assert polygon_area(np.array([[0, 0], [4, 0], [0, 3]])) == 6


def test_clip_square_half_outside():
    square = np.array([[-2, 0], [2, 0], [2, 4], [-2, 4]], dtype=float)
    clipped = clip_polygon_to_window(square, (0, 0, 10, 10))
    assert polygon_area(clipped) == pytest.approx(8)
    assert clipped[:, 0].min() == 0


def test_fraction_of_diamond_cut_by_window_corner():
    # diamond centred at (10, 10), half-diagonal 2: area 8; window x <= 10
    diamond = np.array([10, 8, 12, 10, 10, 12, 8, 10], dtype=float)
    assert fraction_inside_window(diamond, (0, 0, 10, 100)) == pytest.approx(
        0.5
    )
    assert fraction_inside_window(diamond, (0, 0, 100, 100)) == 1
    assert fraction_inside_window(diamond, (20, 20, 30, 30)) == 0
    # window x <= 9: a triangle with base 2 (y 9..11) and height 1 -> area 1
    assert fraction_inside_window(diamond, (0, 0, 9, 100)) == pytest.approx(
        1 / 8
    )
