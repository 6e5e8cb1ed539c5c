"""Read one remote-sensing image strictly: PNG/JPG through Pillow, TIFF/GeoTIFF through rasterio.

Strict means a zero-byte file, a truncated JPEG (which OpenCV silently decodes with a grey
bottom), a text file named .tif or an image too small to crop all raise
:class:`UnreadableImageError`, so a dataset can skip and count it.
"""
import os.path as osp
from typing import Optional, Sequence

import numpy as np
from mmcv.transforms import BaseTransform
from PIL import Image

from mmslffm.registry import TRANSFORMS

TIFF_SUFFIXES = ('.tif', '.tiff')
IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', *TIFF_SUFFIXES)


class UnreadableImageError(OSError):
    """A file that cannot be used as an image; the message says why."""


def stretch_to_uint8(bands: np.ndarray,
                     percentiles: Sequence[float] = (2, 98)) -> np.ndarray:
    """Per-band linear stretch of (H, W, C) data between two percentiles."""
    low, high = np.percentile(bands, percentiles, axis=(0, 1))
    scaled = (bands.astype(np.float32) - low) / np.maximum(high - low, 1e-6)
    return (np.clip(scaled, 0, 1) * 255).round().astype(np.uint8)


def read_image(path: str,
               bands: Optional[Sequence[int]] = None,
               min_size: int = 1) -> np.ndarray:
    """Read ``path`` as an (H, W, C) uint8 array (RGB order for PNG/JPG).

    Args:
        path: PNG, JPG or TIFF/GeoTIFF file.
        bands: 1-based band indexes to read from a TIFF (default: the first
            three, or the only one repeated three times); PNG/JPG give RGB.
        min_size: smallest accepted height and width in pixels.

    TIFF data that is not uint8 (e.g. 16-bit reflectance) is stretched per
    band between its 2nd and 98th percentiles.
    """
    if not osp.isfile(path):
        raise UnreadableImageError(f'{path}: no such file')
    if osp.getsize(path) == 0:
        raise UnreadableImageError(f'{path}: empty file')
    if path.lower().endswith(TIFF_SUFFIXES):
        image = _read_tiff(path, bands)
    else:
        try:
            with Image.open(path) as pil:
                pil.load()  # raises on truncated data, unlike cv2
                image = np.asarray(pil.convert('RGB'))
        except (OSError, SyntaxError, ValueError) as err:
            raise UnreadableImageError(f'{path}: {err}') from err
    height, width = image.shape[:2]
    if min(height, width) < min_size:
        raise UnreadableImageError(
            f'{path}: {width}x{height} is smaller than {min_size} px')
    return image


def _read_tiff(path: str, bands: Optional[Sequence[int]]) -> np.ndarray:
    import rasterio
    from rasterio.errors import RasterioError
    try:
        with rasterio.open(path) as src:
            if bands is None:
                bands = (1, 2, 3) if src.count >= 3 else (1, 1, 1)
            if max(bands) > src.count:
                raise UnreadableImageError(
                    f'{path}: has {src.count} bands, bands={tuple(bands)} '
                    'asked for more (set the bands option)')
            data = src.read(list(bands))
    except RasterioError as err:
        raise UnreadableImageError(f'{path}: {err}') from err
    image = np.ascontiguousarray(data.transpose(1, 2, 0))
    return image if image.dtype == np.uint8 else stretch_to_uint8(image)


@TRANSFORMS.register_module()
class LoadRemoteSensingImage(BaseTransform):
    """Load ``results['img_path']`` with :func:`read_image`.

    Adds ``img`` (H, W, C) uint8, ``img_shape`` and ``ori_shape``. Raises
    :class:`UnreadableImageError` for unusable files (datasets skip them).

    Args:
        bands: TIFF bands to read (1-based), see :func:`read_image`.
        min_size: smallest accepted side in pixels.
    """

    def __init__(self, bands: Optional[Sequence[int]] = None,
                 min_size: int = 16):
        self.bands = tuple(bands) if bands else None
        self.min_size = min_size

    def transform(self, results: dict) -> dict:
        image = read_image(results['img_path'], self.bands, self.min_size)
        results['img'] = image
        results['img_shape'] = results['ori_shape'] = image.shape[:2]
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(bands={self.bands}, '
                f'min_size={self.min_size})')
