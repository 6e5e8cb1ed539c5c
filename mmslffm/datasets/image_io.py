"""Read one remote-sensing image strictly: PNG/JPG through Pillow, TIFF/GeoTIFF through rasterio.

Strict means a file that is not a whole, usable image raises :class:`UnreadableImageError`
naming it, so a dataset can skip and count it and a tool can report it:

* a zero-byte file, a text file named ``.tif``, an image too small to crop;
* a truncated JPEG/PNG: OpenCV (and Pillow with ``LOAD_TRUNCATED_IMAGES``) silently decode it
  with grey or black rows; here Pillow decodes it whole and fails on missing data, and rasterio
  reads fail on the GDAL driver's errors *and* warnings (e.g. libjpeg's "premature end");
* a header claiming more pixels than a limit (a decompression bomb: a PNG whose header says
  100000 x 100000 would make any decoder allocate 30 GB), or a decoded size (width x height x
  bands x bytes per sample) above ``max_bytes`` (default :data:`DEFAULT_MAX_IMAGE_BYTES`): a
  5 KB sparse GeoTIFF can declare 12000 x 12000 x 3 float64 samples, 3.2 GiB. Both are read
  from the header and refused before anything is decoded.

The reader is chosen by the file's content, never its name: TIFF magic bytes go to rasterio,
everything else to Pillow (a truncated PNG named ``.tif`` is decoded, and refused, as a PNG).

Everything that is not 8-bit (16-bit PNG/TIFF, float TIFF) is stretched per band between its
2nd and 98th percentiles to uint8, with NaN, inf and the raster's nodata value as nodata (0);
8-bit images are returned exactly as decoded. The stretch is split into
:func:`stretch_limits` and :func:`apply_stretch` so that a large scene read window by window
uses one set of limits for the whole scene.
"""

import io
import logging
import os.path as osp
from contextlib import contextmanager
from typing import Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np
from PIL import Image

TIFF_SUFFIXES = ('.tif', '.tiff')
IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', *TIFF_SUFFIXES)
# Classic and BigTIFF headers, little- and big-endian.
TIFF_MAGIC = (b'II*\x00', b'MM\x00*', b'II+\x00', b'MM\x00+')
# Largest decoded image (width x height x bands x bytes per sample) read by
# default: as much as Pillow's decompression-bomb limit lets an 8-bit RGB
# image decode to (2 x Image.MAX_IMAGE_PIXELS x 3 bytes).
DEFAULT_MAX_IMAGE_BYTES = 512 * 2**20
# Pillow modes holding more than 8 bits per pixel (one band).
WIDE_PIL_MODES = ('I', 'I;16', 'I;16B', 'I;16L', 'I;16N', 'F')
STRETCH_PERCENTILES = (2, 98)

__all__ = [
    'UnreadableImageError',
    'valid_pixels',
    'stretch_limits',
    'apply_stretch',
    'stretch_to_uint8',
    'DEFAULT_MAX_IMAGE_BYTES',
    'default_max_pixels',
    'check_pixel_count',
    'check_decoded_size',
    'is_tiff',
    'open_pil_image',
    'verify_png',
    'pil_to_rgb',
    'read_raster',
    'read_tiff',
    'read_image',
    'IMAGE_SUFFIXES',
]


class UnreadableImageError(OSError, ValueError):
    """A file that cannot be used as an image; the message names it and says why.

    An ``OSError`` for code that handles unreadable files, and a ``ValueError``
    (bad input) so the command-line tools report it in one line.
    """


# ------------------------------------------------------------------ stretch
def valid_pixels(bands: np.ndarray, nodata: Optional[float]) -> np.ndarray:
    """(H, W) bool: every band finite and different from ``nodata``."""
    valid = np.ones(bands.shape[:2], bool)
    if np.issubdtype(bands.dtype, np.floating):
        valid &= np.isfinite(bands).all(axis=2)
    if nodata is not None and not np.isnan(nodata):
        valid &= (bands != nodata).all(axis=2)
    return valid


def stretch_limits(
    bands: np.ndarray,
    percentiles: Sequence[float] = STRETCH_PERCENTILES,
    nodata: Optional[float] = None,
) -> Tuple[np.ndarray, np.ndarray]:
    """Per-band (low, high) percentiles of (H, W, C) data over its valid pixels.

    NaN, inf and ``nodata`` pixels are left out; a band without valid pixels
    gets (0, 0). Returns two (C,) float64 arrays.
    """
    valid = valid_pixels(bands, nodata)
    if not valid.any():
        zeros = np.zeros(bands.shape[2])
        return zeros, zeros.copy()
    low, high = np.percentile(
        bands[valid].astype(np.float64), percentiles, axis=0
    )
    return low, high


def apply_stretch(
    bands: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    nodata: Optional[float] = None,
) -> np.ndarray:
    """Map (H, W, C) data linearly from [low, high] to [0, 255] uint8 per band.

    Values outside are clipped; NaN, inf and ``nodata`` pixels become 0.
    """
    scaled = (bands.astype(np.float32) - low.astype(np.float32)) / np.maximum(
        high - low, 1e-6
    ).astype(np.float32)
    image = (
        (np.clip(np.nan_to_num(scaled), 0, 1) * 255).round().astype(np.uint8)
    )
    image[~valid_pixels(bands, nodata)] = 0
    return image


def stretch_to_uint8(
    bands: np.ndarray,
    percentiles: Sequence[float] = STRETCH_PERCENTILES,
    nodata: Optional[float] = None,
) -> np.ndarray:
    """Per-band linear stretch of (H, W, C) data between two percentiles to uint8.

    uint8 data is returned unchanged; NaN, inf and ``nodata`` are nodata (0).
    """
    if bands.dtype == np.uint8:
        return bands
    low, high = stretch_limits(bands, percentiles, nodata)
    return apply_stretch(bands, low, high, nodata)


# ------------------------------------------------------------------ Pillow
def default_max_pixels() -> Optional[int]:
    """Pillow's decompression-bomb limit (2 x ``Image.MAX_IMAGE_PIXELS``), None if off."""
    limit = Image.MAX_IMAGE_PIXELS
    return None if limit is None else 2 * limit


def check_pixel_count(
    path: str, width: int, height: int, max_pixels: Optional[int] = None
) -> None:
    """Refuse a header claiming more than ``max_pixels`` (default: Pillow's limit).

    Raises :class:`UnreadableImageError` naming ``path`` and the size.
    """
    if max_pixels is None:
        max_pixels = default_max_pixels()
    if max_pixels is not None and width * height > max_pixels:
        raise UnreadableImageError(
            f'{path}: header claims {width}x{height} = {width * height} '
            f'pixels, more than the limit of {max_pixels} (corrupt file or '
            'decompression bomb; cut a real scene this large into tiles '
            'first)'
        )


def check_decoded_size(
    path: str,
    width: int,
    height: int,
    bands: int,
    dtype: Union[str, np.dtype],
    max_bytes: Optional[int] = DEFAULT_MAX_IMAGE_BYTES,
) -> None:
    """Refuse a header whose decoded size is above ``max_bytes`` (None: no limit).

    The decoded size is ``width x height x bands x`` the bytes of one sample
    of ``dtype``: what a reader must allocate before it can find out whether
    the data is there. Raises :class:`UnreadableImageError` naming ``path``.
    """
    dtype = np.dtype(dtype)
    size = width * height * bands * dtype.itemsize
    if max_bytes is not None and size > max_bytes:
        raise UnreadableImageError(
            f'{path}: header declares {width}x{height} pixels x {bands} '
            f'band(s) of {dtype.name} = {_mib(size)} decoded, more than the '
            f'limit of {_mib(max_bytes)} (corrupt file or decompression bomb; '
            'for a real image this large raise max_image_bytes, or cut it '
            'into tiles)'
        )


def _mib(size: int) -> str:
    return f'{size / 2**20:.0f} MiB'


def is_tiff(path: str) -> bool:
    """True when the file starts with a TIFF (or BigTIFF) header, whatever its name."""
    try:
        with open(path, 'rb') as f:
            return f.read(4) in TIFF_MAGIC
    except OSError:
        return False


def _pil_sample(image: Image.Image) -> Tuple[int, str]:
    """(bands, dtype) Pillow decodes an image of this mode into."""
    if image.mode.startswith('I;16'):
        return 1, 'uint16'
    if image.mode in ('I', 'F'):
        return 1, 'float32'
    return len(image.getbands()), 'uint8'


def _missing(path: str) -> str:
    if osp.islink(path):
        return f'{path}: broken or looping symbolic link'
    return f'{path}: no such file'


def open_pil_image(
    path: str,
    max_pixels: Optional[int] = None,
    data: Optional[bytes] = None,
    max_bytes: Optional[int] = DEFAULT_MAX_IMAGE_BYTES,
) -> Image.Image:
    """Open and fully decode an image with Pillow, in its own mode.

    Args:
        path: the file (also the name used in errors).
        max_pixels: largest accepted width x height (default: Pillow's
            decompression-bomb limit).
        data: the file's bytes when already fetched (remote backends).
        max_bytes: largest accepted decoded size, see
            :func:`check_decoded_size` (None: no limit).

    Raises :class:`UnreadableImageError` naming ``path`` for a missing,
    empty, truncated or undecodable file, or one whose header claims more
    than ``max_pixels`` pixels or ``max_bytes`` decoded.
    """
    if data is None and not osp.isfile(path):
        raise UnreadableImageError(_missing(path))
    if (len(data) if data is not None else osp.getsize(path)) == 0:
        raise UnreadableImageError(f'{path}: empty file')
    try:
        image = Image.open(path if data is None else io.BytesIO(data))
    except Image.DecompressionBombError as err:
        raise UnreadableImageError(
            f'{path}: {err} (corrupt header or decompression bomb)'
        ) from None
    except (OSError, SyntaxError, ValueError) as err:
        raise UnreadableImageError(f'{path}: {err}') from None
    try:
        check_pixel_count(path, image.width, image.height, max_pixels)
        check_decoded_size(
            path, image.width, image.height, *_pil_sample(image), max_bytes
        )
        image.load()  # decodes everything: truncated data raises here
    except UnreadableImageError:
        image.close()
        raise
    except (OSError, SyntaxError, ValueError, MemoryError) as err:
        image.close()
        raise UnreadableImageError(
            f'{path}: cannot be decoded ({err}); truncated or corrupt, '
            're-download it'
        ) from None
    return image


def verify_png(path: str) -> None:
    """Check a PNG's chunks and checksums without decoding its pixels.

    GDAL's PNG driver returns zero rows for a truncated file without an
    error; readers that go through it call this first. Raises
    :class:`UnreadableImageError` naming ``path``.
    """
    try:
        with Image.open(path) as image:
            image.verify()
    except (
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as err:
        raise UnreadableImageError(
            f'{path}: {err}; truncated or corrupt, re-download it'
        ) from None


def pil_to_rgb(image: Image.Image) -> np.ndarray:
    """(H, W, 3) uint8 RGB; single bands wider than 8 bits are stretched."""
    if image.mode in WIDE_PIL_MODES:
        band = np.asarray(image)[..., None]
        return np.repeat(stretch_to_uint8(band), 3, axis=2)
    return np.asarray(image if image.mode == 'RGB' else image.convert('RGB'))


# ------------------------------------------------------------------ rasterio
class _GdalMessages(logging.Handler):
    """Collects the GDAL warnings rasterio logs while a read runs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: List[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _gdal_messages() -> Iterator[List[str]]:
    handler = _GdalMessages()
    logger = logging.getLogger('rasterio')
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def read_raster(
    dataset,
    indexes: Sequence[int],
    window=None,
    out_shape: Optional[Tuple[int, ...]] = None,
) -> np.ndarray:
    """``dataset.read(indexes, window=...)`` that fails on any GDAL driver complaint.

    GDAL decodes a truncated PNG/JPEG/TIFF block with a warning (or an
    error) and returns zeros or grey; this raises
    :class:`UnreadableImageError` naming the file instead. Returns
    (len(indexes), h, w) in the file's dtype.
    """
    import rasterio
    from rasterio.errors import RasterioError

    try:
        with (
            rasterio.Env(GDAL_ERROR_ON_LIBJPEG_WARNING=True),
            _gdal_messages() as messages,
        ):
            data = dataset.read(
                list(indexes), window=window, out_shape=out_shape
            )
    except (RasterioError, MemoryError) as err:
        cause = err.__cause__ or err  # rasterio chains GDAL's own message
        raise UnreadableImageError(
            f'{dataset.name}: cannot be read ({cause}); truncated or '
            'corrupt, re-download it'
        ) from None
    if messages:
        raise UnreadableImageError(
            f'{dataset.name}: the GDAL driver reported {messages[0]!r}; '
            'truncated or corrupt, re-download it'
        )
    return data


def read_tiff(
    path: str,
    bands: Union[None, str, Sequence[int]] = None,
    max_pixels: Optional[int] = None,
    max_bytes: Optional[int] = DEFAULT_MAX_IMAGE_BYTES,
) -> np.ndarray:
    """Read a (Geo)TIFF as (H, W, C) uint8 with checked reads and the 8-bit stretch.

    Args:
        bands: 1-based band indexes; None: the first three (or the only one
            repeated three times); ``'all'``: every band in file order.
        max_pixels: largest accepted width x height (default: Pillow's).
        max_bytes: largest accepted decoded size of the bands read (None:
            no limit); data that is not 8-bit needs about four times that
            while it is stretched.
    """
    import rasterio
    from rasterio.errors import RasterioError

    try:
        src = rasterio.open(path)
    except RasterioError as err:
        raise UnreadableImageError(f'{path}: {err}') from None
    with src:
        if bands is None:
            bands = (1, 2, 3) if src.count >= 3 else (1, 1, 1)
        elif bands == 'all':
            bands = tuple(range(1, src.count + 1))
        if max(bands) > src.count:
            raise UnreadableImageError(
                f'{path}: has {src.count} bands, bands={tuple(bands)} '
                'asked for more (set the bands option)'
            )
        check_pixel_count(path, src.width, src.height, max_pixels)
        widest = max(
            (np.dtype(src.dtypes[b - 1]) for b in bands),
            key=lambda dtype: dtype.itemsize,
        )
        check_decoded_size(
            path, src.width, src.height, len(bands), widest, max_bytes
        )
        data = read_raster(src, bands)
        nodata = src.nodata
    return stretch_to_uint8(
        np.ascontiguousarray(data.transpose(1, 2, 0)), nodata=nodata
    )


def read_image(
    path: str,
    bands: Optional[Sequence[int]] = None,
    min_size: int = 1,
    max_pixels: Optional[int] = None,
    max_bytes: Optional[int] = DEFAULT_MAX_IMAGE_BYTES,
) -> np.ndarray:
    """Read ``path`` as an (H, W, C) uint8 array (RGB order for PNG/JPG).

    Args:
        path: a TIFF/GeoTIFF (by content: rasterio), or any other format
            Pillow decodes (PNG, JPG...), whatever the file is named.
        bands: 1-based band indexes to read from a TIFF (default: the first
            three, or the only one repeated three times); PNG/JPG give RGB.
        min_size: smallest accepted height and width in pixels.
        max_pixels: largest accepted width x height (default: Pillow's
            decompression-bomb limit, about 179 M pixels).
        max_bytes: largest accepted decoded size, width x height x bands x
            bytes per sample (default 512 MiB; None: no limit).

    Data that is not uint8 (16-bit, float) is stretched per band between
    its 2nd and 98th percentiles, NaN and the nodata value giving 0.

    Raises:
        UnreadableImageError: naming the file, see the module docstring.
    """
    if not osp.isfile(path):
        raise UnreadableImageError(_missing(path))
    if osp.getsize(path) == 0:
        raise UnreadableImageError(f'{path}: empty file')
    if is_tiff(path):
        image = read_tiff(path, bands, max_pixels, max_bytes)
    else:
        pil = open_pil_image(path, max_pixels, max_bytes=max_bytes)
        try:
            image = pil_to_rgb(pil)
        finally:
            pil.close()
    height, width = image.shape[:2]
    if min(height, width) < min_size:
        raise UnreadableImageError(
            f'{path}: {width}x{height} is smaller than {min_size} px'
        )
    return image
