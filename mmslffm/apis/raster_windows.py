"""Window-by-window raster reading for scenes too large to hold in memory.

rasterio reads one window at a time; this module adds the tiling (overlapping windows that
stay inside the image, plus the non-overlapping "core" each window owns) and the checks that
turn a bad file into a one-line error naming it: every window read fails on the GDAL driver's
errors and warnings, and a PNG's structure is verified first (GDAL decodes a truncated JPEG as
grey and a truncated PNG as zero rows without an error).

A scene's total size is not bounded (a 100k x 100k scene is read one window at a time), but
what one window read and one row of output allocate is (:func:`check_window_memory`), so a
few-kilobyte sparse file declaring an absurd size or band count is refused before reading.

Scenes that are not 8-bit (16-bit, float) are stretched to uint8 as the training images are
(:mod:`mmslffm.datasets.image_io`: 2-98% per band), with limits computed once per scene from a
decimated read, so every window shares them. NaN and the nodata value become 0 and valid
pixels at least 1, so an all-nodata window is recognised exactly.
"""

from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence, Tuple

import numpy as np
import rasterio
from rasterio.errors import RasterioIOError
from rasterio.windows import Window

from mmslffm.datasets.image_io import (
    DEFAULT_MAX_IMAGE_BYTES,
    apply_stretch,
    read_raster,
    stretch_limits,
    valid_pixels,
    verify_png,
)

__all__ = [
    'SceneWindow',
    'WindowPlan',
    'RasterScene',
    'open_scene',
    'plan_windows',
    'read_bgr',
    'is_nodata',
    'is_georeferenced',
    'check_window_memory',
    'DEFAULT_MAX_WINDOW_BYTES',
]

# Largest window read (side x side x bands x bytes per sample) and output row
# band (side x scene width bytes) allowed by default.
DEFAULT_MAX_WINDOW_BYTES = DEFAULT_MAX_IMAGE_BYTES

STATS_SIDE = 1024  # longest side of the decimated read giving stretch limits


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
        return (
            slice(top, top + int(self.core.height)),
            slice(left, left + int(self.core.width)),
        )


def _axis_plan(
    length: int, size: int, overlap: int
) -> List[Tuple[int, int, int, int]]:
    """(start, stop, core_start, core_stop) along one axis."""
    if size >= length:
        return [(0, length, 0, length)]
    stride = size - overlap
    starts = sorted({*range(0, length - size, stride), length - size})
    bounds = (
        [0]
        + [(nxt + start + size) // 2 for start, nxt in zip(starts, starts[1:])]
        + [length]
    )
    return [
        (start, start + size, bounds[i], bounds[i + 1])
        for i, start in enumerate(starts)
    ]


class WindowPlan(Sequence[SceneWindow]):
    """The windows of a scene, row-major, made on demand.

    Holds the per-axis plans only (a few thousand numbers even for a scene
    declaring a million pixels a side), not one object per window.
    """

    def __init__(self, rows: List[tuple], cols: List[tuple]) -> None:
        self.rows, self.cols = rows, cols

    def __len__(self) -> int:
        return len(self.rows) * len(self.cols)

    def __getitem__(self, index: int) -> SceneWindow:
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        row, col = divmod(index % len(self), len(self.cols))
        (r0, r1, rc0, rc1), (c0, c1, cc0, cc1) = self.rows[row], self.cols[col]
        return SceneWindow(
            window=Window(c0, r0, c1 - c0, r1 - r0),
            core=Window(cc0, rc0, cc1 - cc0, rc1 - rc0),
        )

    def __iter__(self) -> Iterator[SceneWindow]:
        return (self[i] for i in range(len(self)))


def plan_windows(
    height: int, width: int, size: int, overlap: int
) -> WindowPlan:
    """Windows of ``size`` x ``size`` with ``overlap`` pixels, inside the image.

    The last row/column of windows is moved back to end at the image edge, so
    no window needs padding (images smaller than ``size`` give one window).
    """
    if not 0 <= overlap < size:
        raise ValueError(
            f'window overlap must be in [0, {size}), got {overlap}'
        )
    return WindowPlan(
        _axis_plan(height, size, overlap), _axis_plan(width, size, overlap)
    )


class RasterScene:
    """An open rasterio dataset and how its ``bands`` become 8-bit pixels.

    Attributes of the dataset (``height``, ``crs``, ``transform``...) are
    available on the scene. For scenes that are not uint8, ``limits`` holds
    the per-band (low, high) stretch and ``nodata`` is 0, the value nodata
    pixels have in :func:`read_bgr`'s output.
    """

    def __init__(self, dataset, bands: Sequence[int]) -> None:
        self.dataset = dataset
        self.bands = tuple(bands)
        self.limits: Optional[Tuple[np.ndarray, np.ndarray]] = None
        if dataset.dtypes[self.bands[0] - 1] != 'uint8':
            scale = STATS_SIDE / max(dataset.height, dataset.width, STATS_SIDE)
            shape = (
                len(self.bands),
                max(1, round(dataset.height * scale)),
                max(1, round(dataset.width * scale)),
            )
            sample = read_raster(dataset, self.bands, out_shape=shape)
            self.limits = stretch_limits(
                sample.transpose(1, 2, 0), nodata=dataset.nodata
            )

    @property
    def nodata(self) -> Optional[float]:
        return 0 if self.limits is not None else self.dataset.nodata

    def __getattr__(self, name: str):
        if name == 'dataset':  # not set yet (e.g. while unpickling)
            raise AttributeError(name)
        return getattr(self.dataset, name)

    def close(self) -> None:
        self.dataset.close()

    def __enter__(self) -> 'RasterScene':
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def open_scene(path: str, bands: Sequence[int] = (1, 2, 3)) -> RasterScene:
    """Open ``path`` with rasterio and check it can feed an 8-bit RGB model."""
    try:
        dataset = rasterio.open(path)
    except RasterioIOError as err:
        raise FileNotFoundError(
            f'{path}: cannot be read as a raster ({err}); pass a PNG, JPG or '
            '(Geo)TIFF'
        ) from None
    if max(bands) > dataset.count:
        dataset.close()
        raise ValueError(
            f'{path}: has {dataset.count} band(s) but bands {list(bands)} '
            'were asked for; choose them with --bands'
        )
    try:
        if dataset.driver == 'PNG':  # GDAL reads a cut PNG as zero rows
            verify_png(path)
        return RasterScene(dataset, bands)
    except BaseException:
        dataset.close()
        raise


def read_bgr(
    scene, window: Window, bands: Sequence[int] = (1, 2, 3)
) -> np.ndarray:
    """Read ``bands`` (R, G, B order in the file) as an (h, w, 3) BGR array.

    BGR because OpenMMLab pipelines load images with OpenCV and their data
    preprocessors convert BGR to RGB. ``scene``: a :class:`RasterScene`
    (non-uint8 data stretched with the scene's limits, nodata 0, valid >= 1)
    or a plain rasterio dataset (read as stored). Raises
    ``UnreadableImageError`` naming the file if the read fails.
    """
    dataset = getattr(scene, 'dataset', scene)
    rgb = read_raster(dataset, bands, window=window).transpose(1, 2, 0)
    limits = getattr(scene, 'limits', None)
    if limits is not None:
        stretched = apply_stretch(rgb, *limits, nodata=dataset.nodata)
        rgb = np.where(
            valid_pixels(rgb, dataset.nodata)[..., None],
            np.maximum(stretched, 1),
            0,
        ).astype(np.uint8)
    return np.ascontiguousarray(rgb[..., ::-1])


def is_nodata(scene, window_pixels: np.ndarray) -> bool:
    """True when every pixel of the window equals the file's nodata value."""
    nodata: Optional[float] = scene.nodata
    return nodata is not None and bool(np.all(window_pixels == nodata))


def is_georeferenced(scene) -> bool:
    """True when the file carries a CRS or a non-identity transform."""
    return scene.crs is not None or not scene.transform.is_identity


def _mib(size: int) -> str:
    return f'{size / 2**20:.0f} MiB'


def check_window_memory(
    path: str,
    window: int,
    bands: Sequence[int],
    max_bytes: Optional[int] = DEFAULT_MAX_WINDOW_BYTES,
) -> None:
    """Refuse a scene whose window reads or output rows would pass ``max_bytes``.

    From the header only: a ``window`` x ``window`` read of ``bands`` (in the
    widest band's dtype) and the uint8 band of ``window`` full-width rows the
    writers keep. Raises ``ValueError`` naming ``path`` (None: no limit).
    """
    if max_bytes is None:
        return
    try:
        with rasterio.open(path) as dataset:
            height, width = dataset.height, dataset.width
            itemsize = max(
                np.dtype(dataset.dtypes[b - 1]).itemsize
                for b in bands
                if b <= dataset.count
            )
    except (RasterioIOError, ValueError):
        return  # open_scene reports an unreadable file or bad bands
    rows, cols = min(window, height), min(window, width)
    read = rows * cols * len(bands) * itemsize
    if read > max_bytes:
        raise ValueError(
            f'{path}: one {cols}x{rows} window of {len(bands)} band(s) '
            f'needs {_mib(read)}, more than --max-window-bytes '
            f'({_mib(max_bytes)}); lower --window, or raise '
            '--max-window-bytes if the machine has the memory'
        )
    if rows * width > max_bytes:
        raise ValueError(
            f'{path}: the header declares {width}x{height} pixels; a row of '
            f'{rows}-pixel windows needs a {_mib(rows * width)} output band, '
            f'more than --max-window-bytes ({_mib(max_bytes)}); a corrupt '
            'header, or lower --window / raise --max-window-bytes'
        )
