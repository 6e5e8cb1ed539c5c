"""Window-by-window raster reading for scenes too large to hold in memory.

rasterio reads one window at a time; this module adds the tiling (overlapping windows that
stay inside the image, plus the non-overlapping "core" each window owns) and the checks that
turn a bad file into a one-line error naming it.
"""
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import numpy as np
import rasterio
from rasterio.errors import RasterioIOError
from rasterio.windows import Window

__all__ = ['SceneWindow', 'open_scene', 'plan_windows', 'read_bgr',
           'is_nodata', 'is_georeferenced']


@dataclass(frozen=True)
class SceneWindow:
    """A model window and the core region it alone writes (pixel offsets).

    ``window`` overlaps its neighbours; the ``core`` windows tile the image
    exactly once, splitting every overlap in the middle.
    """
    window: Window
    core: Window

    def core_in_window(self) -> Tuple[slice, slice]:
        """(rows, cols) slices of the core inside the window's array."""
        top = int(self.core.row_off - self.window.row_off)
        left = int(self.core.col_off - self.window.col_off)
        return (slice(top, top + int(self.core.height)),
                slice(left, left + int(self.core.width)))


def _axis_plan(length: int, size: int,
               overlap: int) -> List[Tuple[int, int, int, int]]:
    """(start, stop, core_start, core_stop) along one axis."""
    if size >= length:
        return [(0, length, 0, length)]
    stride = size - overlap
    starts = sorted({*range(0, length - size, stride), length - size})
    bounds = [0] + [
        (nxt + start + size) // 2 for start, nxt in zip(starts, starts[1:])
    ] + [length]
    return [(start, start + size, bounds[i], bounds[i + 1])
            for i, start in enumerate(starts)]


def plan_windows(height: int, width: int, size: int,
                 overlap: int) -> List[SceneWindow]:
    """Windows of ``size`` x ``size`` with ``overlap`` pixels, inside the image.

    The last row/column of windows is moved back to end at the image edge, so
    no window needs padding (images smaller than ``size`` give one window).
    """
    if not 0 <= overlap < size:
        raise ValueError(f'window overlap must be in [0, {size}), got '
                         f'{overlap}')
    rows, cols = _axis_plan(height, size, overlap), _axis_plan(
        width, size, overlap)
    return [
        SceneWindow(
            window=Window(c0, r0, c1 - c0, r1 - r0),
            core=Window(cc0, rc0, cc1 - cc0, rc1 - rc0))
        for r0, r1, rc0, rc1 in rows for c0, c1, cc0, cc1 in cols
    ]


def open_scene(path: str, bands: Sequence[int] = (1, 2, 3)):
    """Open ``path`` with rasterio and check it can feed an 8-bit RGB model."""
    try:
        scene = rasterio.open(path)
    except RasterioIOError as err:
        raise FileNotFoundError(
            f'{path}: cannot be read as a raster ({err}); pass a PNG, JPG or '
            '(Geo)TIFF') from None
    if max(bands) > scene.count:
        scene.close()
        raise ValueError(
            f'{path}: has {scene.count} band(s) but bands {list(bands)} were '
            'asked for; choose them with --bands')
    if scene.dtypes[bands[0] - 1] != 'uint8':
        dtype = scene.dtypes[bands[0] - 1]
        scene.close()
        raise ValueError(
            f'{path}: pixels are {dtype}, the models take 8-bit images; '
            'rescale first, e.g. gdal_translate -ot Byte -scale IN OUT')
    return scene


def read_bgr(scene, window: Window,
             bands: Sequence[int] = (1, 2, 3)) -> np.ndarray:
    """Read ``bands`` (R, G, B order in the file) as an (h, w, 3) BGR uint8 array.

    BGR because OpenMMLab pipelines load images with OpenCV and their data
    preprocessors convert BGR to RGB.
    """
    rgb = scene.read(list(bands), window=window)
    return np.ascontiguousarray(rgb[::-1].transpose(1, 2, 0))


def is_nodata(scene, window_pixels: np.ndarray) -> bool:
    """True when every pixel of the window equals the file's nodata value."""
    nodata: Optional[float] = scene.nodata
    return nodata is not None and bool(np.all(window_pixels == nodata))


def is_georeferenced(scene) -> bool:
    """True when the file carries a CRS or a non-identity transform."""
    return scene.crs is not None or not scene.transform.is_identity
