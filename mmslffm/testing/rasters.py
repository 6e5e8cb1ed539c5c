"""Write small test rasters: GeoTIFFs with or without a georeference."""

from pathlib import Path
from typing import Optional, Union

import numpy as np
import rasterio
from affine import Affine
from rasterio.crs import CRS

__all__ = ['write_geotiff']


def write_geotiff(
    path: Union[str, Path],
    pixels: np.ndarray,
    crs: Optional[CRS] = None,
    transform: Optional[Affine] = None,
) -> Path:
    """Write ``pixels`` (H, W) or (H, W, C) as a GeoTIFF with C bands.

    ``crs`` and ``transform`` georeference it; without them the file has
    pixel coordinates only.
    """
    bands = pixels[..., None] if pixels.ndim == 2 else pixels
    profile = dict(
        driver='GTiff',
        height=bands.shape[0],
        width=bands.shape[1],
        count=bands.shape[2],
        dtype=str(bands.dtype),
    )
    if crs is not None:
        profile.update(crs=crs, transform=transform)
    with rasterio.open(path, 'w', **profile) as raster:
        raster.write(bands.transpose(2, 0, 1))
    return Path(path)
