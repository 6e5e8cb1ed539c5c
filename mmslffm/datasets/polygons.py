"""Polygon area and clipping to an axis-aligned window, for cutting labels into patches.

The DOTA devkit and mmrotate's splitter use shapely for "how much of this object lies in this
window"; shapely is not in our pinned stack and the case needed here (a polygon against an
axis-aligned rectangle) is a few lines of Sutherland-Hodgman clipping.
"""
from typing import Tuple

import numpy as np

__all__ = ['polygon_area', 'clip_polygon_to_window', 'fraction_inside_window']


def polygon_area(points: np.ndarray) -> float:
    """Area of a simple polygon (shoelace). points: (N, 2)."""
    if len(points) < 3:
        return 0.
    x, y = points[:, 0], points[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def _clip_half_plane(points: np.ndarray, axis: int, bound: float,
                     keep_greater: bool) -> np.ndarray:
    """Keep the part of polygon ``points`` (N, 2) on one side of ``points[:, axis] = bound``."""
    if len(points) == 0:
        return points
    clipped = []
    for i, current in enumerate(points):
        previous = points[i - 1]
        current_in = (current[axis] >= bound) if keep_greater else (
            current[axis] <= bound)
        previous_in = (previous[axis] >= bound) if keep_greater else (
            previous[axis] <= bound)
        if current_in != previous_in:
            t = (bound - previous[axis]) / (current[axis] - previous[axis])
            clipped.append(previous + t * (current - previous))
        if current_in:
            clipped.append(current)
    return np.array(clipped, dtype=np.float64).reshape(-1, 2)


def clip_polygon_to_window(points: np.ndarray,
                           window: Tuple[float, float, float, float]
                           ) -> np.ndarray:
    """Intersection of a convex or simple polygon (N, 2) with window (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = window
    clipped = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    clipped = _clip_half_plane(clipped, 0, x0, keep_greater=True)
    clipped = _clip_half_plane(clipped, 0, x1, keep_greater=False)
    clipped = _clip_half_plane(clipped, 1, y0, keep_greater=True)
    return _clip_half_plane(clipped, 1, y1, keep_greater=False)


def fraction_inside_window(polygon: np.ndarray,
                           window: Tuple[float, float, float, float]) -> float:
    """Share of the polygon's area (8,) or (N, 2) inside the window, in [0, 1].

    A degenerate polygon (zero area) counts as inside when its points are.
    """
    points = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    area = polygon_area(points)
    if area <= 0:
        x0, y0, x1, y1 = window
        inside = ((points[:, 0] >= x0) & (points[:, 0] <= x1) &
                  (points[:, 1] >= y0) & (points[:, 1] <= y1))
        return float(inside.all())
    return min(1., polygon_area(clip_polygon_to_window(points, window)) / area)
