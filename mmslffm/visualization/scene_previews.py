"""PNG pictures of large-scene results, downsampled so a 20k x 20k scene stays a few MB.

The full-resolution results are the GeoTIFF / GeoJSON files; these are for looking at.
"""

import math
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np
from PIL import Image
from rasterio.enums import Resampling

from mmslffm.utils.atomic_output import written_atomically

__all__ = [
    'preview_factor',
    'read_preview',
    'colourise',
    'palette_for',
    'draw_polygons',
    'save_png',
]


def preview_factor(height: int, width: int, max_side: int) -> int:
    """Integer downsampling factor so that the longer side is <= ``max_side``."""
    return max(1, math.ceil(max(height, width) / max_side))


def read_preview(
    scene, factor: int, bands: Sequence[int], categorical: bool
) -> np.ndarray:
    """Whole raster read at 1/``factor`` resolution: (h, w) or (h, w, C).

    GDAL decimates while reading (overviews when the file has them), so the
    full-resolution raster never sits in memory.
    """
    height = max(1, scene.height // factor)
    width = max(1, scene.width // factor)
    data = scene.read(
        list(bands),
        out_shape=(len(bands), height, width),
        resampling=(Resampling.nearest if categorical else Resampling.average),
    )
    return data[0] if len(bands) == 1 else data.transpose(1, 2, 0)


def palette_for(
    num_classes: int, palette: Optional[Sequence[Sequence[int]]] = None
) -> np.ndarray:
    """(num_classes, 3) uint8 colours: the dataset's palette, else a fixed one."""
    if palette is not None and len(palette) >= num_classes:
        return np.asarray(palette[:num_classes], dtype=np.uint8)
    generator = np.random.default_rng(seed=0)
    return generator.integers(0, 256, size=(num_classes, 3), dtype=np.uint8)


def colourise(
    index: np.ndarray,
    palette: np.ndarray,
    ignore_colour: Tuple[int, int, int] = (0, 0, 0),
) -> np.ndarray:
    """(H, W) class indices -> (H, W, 3) RGB; indices outside the palette get
    ``ignore_colour``."""
    lut = np.tile(np.array(ignore_colour, np.uint8), (256, 1))
    lut[: len(palette)] = palette
    return lut[index.astype(np.uint8)]


def draw_polygons(
    image: np.ndarray,
    polygons: np.ndarray,
    labels: np.ndarray,
    palette: np.ndarray,
) -> np.ndarray:
    """Outline (N, 4, 2) pixel polygons on an (H, W, 3) RGB image, colour by label."""
    canvas = np.ascontiguousarray(image.copy())
    thickness = max(1, round(max(canvas.shape[:2]) / 1000))
    for polygon, label in zip(polygons, labels):
        colour = tuple(int(c) for c in palette[int(label) % len(palette)])
        cv2.polylines(
            canvas,
            [np.round(polygon).astype(np.int32)],
            True,
            colour,
            thickness,
        )
    return canvas


def save_png(path: str, image: np.ndarray) -> None:
    """Write an (H, W) or (H, W, 3) RGB uint8 array as PNG (whole or not at all)."""
    with written_atomically(path) as partial:
        Image.fromarray(np.ascontiguousarray(image)).save(partial)
