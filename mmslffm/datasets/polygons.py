"""Polygon area, sanity checks and clipping to an axis-aligned window, for cutting labels.

The DOTA devkit and mmrotate's splitter use shapely for "how much of this object lies in this
window"; shapely is not in our pinned stack and the case needed here (a polygon against an
axis-aligned rectangle) is a few lines of Sutherland-Hodgman clipping.

Rotated boxes become corner polygons here too (for the DOTA Task1 files, the polygon mAP and
the scene pictures), below both evaluation and visualization.
"""

from typing import Optional, Tuple

import numpy as np

__all__ = [
    'polygon_area',
    'polygon_problem',
    'clip_polygon_to_window',
    'fraction_inside_window',
    'rboxes_to_polygons',
]

# Coordinates beyond this (pixels) are corrupt values, not a scene: the largest
# DOTA/DIOR-R scenes are about 30000 px wide.
MAX_ABS_COORDINATE = 1e6
# Smaller than one pixel: a collapsed (degenerate) polygon, not an object.
MIN_OBJECT_AREA = 1.0


def polygon_area(points: np.ndarray) -> float:
    """Area of a simple polygon (shoelace). points: (N, 2)."""
    if len(points) < 3:
        return 0.0
    x, y = points[:, 0], points[:, 1]
    return 0.5 * abs(
        float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
    )


def polygon_problem(
    polygon: np.ndarray, image_size: Optional[Tuple[int, int]] = None
) -> Optional[str]:
    """Why a label polygon (8,) or (N, 2) cannot be an object, or None if it can.

    Refused: NaN/inf or absurd (beyond 1e6 px) coordinates, an area under one
    pixel, and, when ``image_size`` (width, height) is given, a polygon that
    does not touch the image at all.
    """
    points = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    if not np.isfinite(points).all():
        return 'coordinates are not finite (NaN or inf)'
    if np.abs(points).max() > MAX_ABS_COORDINATE:
        return (
            f'coordinate {np.abs(points).max():g} is absurd (beyond '
            f'{MAX_ABS_COORDINATE:g} px)'
        )
    area = polygon_area(points)
    if area < MIN_OBJECT_AREA:
        return f'degenerate polygon (area {area:g} px^2)'
    if image_size is not None:
        width, height = image_size
        if (
            points[:, 0].max() < 0
            or points[:, 1].max() < 0
            or points[:, 0].min() > width
            or points[:, 1].min() > height
        ):
            return f'polygon lies outside the {width}x{height} image'
    return None


def _clip_half_plane(
    points: np.ndarray, axis: int, bound: float, keep_greater: bool
) -> np.ndarray:
    """Keep the part of polygon ``points`` (N, 2) on one side of ``points[:, axis] = bound``."""
    if len(points) == 0:
        return points
    clipped = []
    for i, current in enumerate(points):
        previous = points[i - 1]
        current_in = (
            (current[axis] >= bound)
            if keep_greater
            else (current[axis] <= bound)
        )
        previous_in = (
            (previous[axis] >= bound)
            if keep_greater
            else (previous[axis] <= bound)
        )
        if current_in != previous_in:
            t = (bound - previous[axis]) / (current[axis] - previous[axis])
            clipped.append(previous + t * (current - previous))
        if current_in:
            clipped.append(current)
    return np.array(clipped, dtype=np.float64).reshape(-1, 2)


def clip_polygon_to_window(
    points: np.ndarray, window: Tuple[float, float, float, float]
) -> np.ndarray:
    """Intersection of a convex or simple polygon (N, 2) with window (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = window
    clipped = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    clipped = _clip_half_plane(clipped, 0, x0, keep_greater=True)
    clipped = _clip_half_plane(clipped, 0, x1, keep_greater=False)
    clipped = _clip_half_plane(clipped, 1, y0, keep_greater=True)
    return _clip_half_plane(clipped, 1, y1, keep_greater=False)


def fraction_inside_window(
    polygon: np.ndarray, window: Tuple[float, float, float, float]
) -> float:
    """Share of the polygon's area (8,) or (N, 2) inside the window, in [0, 1].

    A degenerate polygon (zero area) counts as inside when its points are.
    """
    points = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    area = polygon_area(points)
    if area <= 0:
        x0, y0, x1, y1 = window
        inside = (
            (points[:, 0] >= x0)
            & (points[:, 0] <= x1)
            & (points[:, 1] >= y0)
            & (points[:, 1] <= y1)
        )
        return float(inside.all())
    return min(
        1.0, polygon_area(clip_polygon_to_window(points, window)) / area
    )


def rboxes_to_polygons(rboxes: np.ndarray) -> np.ndarray:
    """(N, 5+) cx, cy, w, h, angle -> (N, 8) corner polygons (mmrotate's ``rbox2qbox``)."""
    if len(rboxes) == 0:
        return np.zeros((0, 8), dtype=np.float32)
    import torch  # imported here: the label checks above need only numpy
    from mmrotate.structures.bbox import rbox2qbox

    return rbox2qbox(
        torch.from_numpy(np.ascontiguousarray(rboxes[:, :5], dtype=np.float32))
    ).numpy()
