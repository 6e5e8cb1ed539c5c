"""Bad input files as users meet them, made from the bundled real images inside each test."""

import os
import struct
import zlib
from pathlib import Path
from typing import Optional

import numpy as np
import rasterio

from .tools import DEMO_DATA

DOTA_SCENE = DEMO_DATA / 'dota' / 'images' / 'P0075.png'
JPEG_TILE = DEMO_DATA / 'pretrain_unlabeled' / 'dior_00001_x0000_y0000.jpg'


def truncated_copy(source: Path, target: Path, keep: float = 0.5) -> Path:
    """``target`` = the first ``keep`` share of ``source``'s bytes (an interrupted download)."""
    data = source.read_bytes()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data[: int(len(data) * keep)])
    return target


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack('>I', len(payload))
        + kind
        + payload
        + struct.pack('>I', zlib.crc32(kind + payload))
    )


def bomb_png(path: Path, width: int = 100000, height: int = 100000) -> Path:
    """A 100-byte PNG whose (CRC-valid) IHDR claims ``width`` x ``height`` RGB pixels."""
    header = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b'\x89PNG\r\n\x1a\n'
        + _png_chunk(b'IHDR', header)
        + _png_chunk(b'IDAT', zlib.compress(b'\x00' * 64))
        + _png_chunk(b'IEND', b'')
    )
    return path


def write_geotiff(
    path: Path, bands: np.ndarray, nodata: Optional[float] = None
) -> Path:
    """Write (H, W, C) data as a GeoTIFF in its own dtype."""
    profile = dict(
        driver='GTiff',
        width=bands.shape[1],
        height=bands.shape[0],
        count=bands.shape[2],
        dtype=bands.dtype.name,
        nodata=nodata,
    )
    with rasterio.open(path, 'w', **profile) as target:
        target.write(bands.transpose(2, 0, 1))
    return path


def float_scene(height: int = 64, width: int = 80) -> np.ndarray:
    """(H, W, 3) float32 reflectance-like ramps with a NaN block top-left."""
    rows, cols = np.mgrid[0:height, 0:width].astype(np.float32)
    bands = (
        np.stack([rows / height, cols / width, (rows + cols) / 200.0], axis=2)
        * 0.4
        + 0.05
    )
    bands[:16, :20] = np.nan
    return bands.astype(np.float32)


def expected_stretch(bands: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """The 2-98% per-band stretch written out by hand, 0 outside ``valid`` (H, W)."""
    out = np.zeros(bands.shape, np.uint8)
    for band in range(bands.shape[2]):
        values = bands[..., band].astype(np.float64)
        low, high = np.percentile(values[valid], [2, 98])
        scaled = np.clip((values - low) / max(high - low, 1e-6), 0, 1)
        out[..., band] = np.where(valid, np.round(scaled * 255), 0)
    return out


def sparse_geotiff(
    path: Path,
    width: int = 12000,
    height: int = 12000,
    count: int = 3,
    dtype: str = 'float64',
) -> Path:
    """A few-KB tiled GeoTIFF with no block written: its header alone declares
    ``width x height x count`` samples of ``dtype`` (3.2 GiB by default)."""
    with rasterio.open(
        path,
        'w',
        driver='GTiff',
        width=width,
        height=height,
        count=count,
        dtype=dtype,
        tiled=True,
        blockxsize=1024,
        blockysize=1024,
        compress='deflate',
        sparse_ok=True,
    ):
        pass
    return path


def bad_file_names(folder: Path, suffix: str = '.png') -> list:
    """Copies of a real tile under names the index cannot hold: one with a
    newline, one with a byte that is not UTF-8. Returns their paths as bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    data = JPEG_TILE.read_bytes()
    paths = []
    for name in (b'two\nlines', b'latin1_\xe9t\xe9'):
        path = os.path.join(os.fsencode(folder), name + suffix.encode())
        with open(path, 'wb') as f:
            f.write(data)
        paths.append(path)
    return paths


def truncated_png_named_tif(target: Path, keep: float = 0.5) -> Path:
    """A cut PNG (an interrupted download) saved under a ``.tif`` name."""
    return truncated_copy(DOTA_SCENE, target, keep)
