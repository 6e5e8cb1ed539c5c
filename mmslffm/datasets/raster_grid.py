"""The pixel grid of an image (size, CRS, transform), read from its header, and the check that
two dates of a change pair share one.

Change detection compares pixel (i, j) of date A with pixel (i, j) of date B: that is only
meaningful when both images cover the same ground on the same grid. Large-scene inference and the
change-detection datasets apply the same check, so a pair refused by one is refused by the other.
"""

import warnings
from dataclasses import dataclass
from typing import Optional, Tuple

from affine import Affine
from PIL import Image

from .image_io import UnreadableImageError, is_tiff

__all__ = ['RasterGrid', 'read_grid', 'check_same_grid']


@dataclass(frozen=True)
class RasterGrid:
    """Width and height in pixels, CRS (None: none) and pixel-to-map transform."""

    width: int
    height: int
    crs: Optional[object] = None
    transform: Affine = Affine.identity()

    @property
    def shape(self) -> Tuple[int, int]:
        return self.height, self.width


def read_grid(path: str) -> RasterGrid:
    """The grid in ``path``'s header: rasterio for TIFF content, Pillow otherwise.

    Pillow-read formats (PNG, JPEG) carry no georeference. Raises
    :class:`UnreadableImageError` naming the file if no header can be read.
    """
    if is_tiff(path):
        import rasterio
        from rasterio.errors import NotGeoreferencedWarning, RasterioError

        try:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore', NotGeoreferencedWarning)
                with rasterio.open(path) as src:
                    return RasterGrid(
                        src.width, src.height, src.crs, src.transform
                    )
        except RasterioError as err:
            raise UnreadableImageError(f'{path}: {err}') from None
    try:
        with Image.open(path) as image:
            return RasterGrid(image.width, image.height)
    except (OSError, SyntaxError, ValueError) as err:  # bombs: ValueError
        raise UnreadableImageError(f'{path}: {err}') from None


def check_same_grid(scene_a, scene_b, path_a: str, path_b: str) -> None:
    """Refuse a change pair that does not share size, CRS and transform.

    ``scene_a``/``scene_b``: anything with ``width``, ``height``, ``shape``,
    ``crs`` and ``transform`` (a :class:`RasterGrid`, a rasterio dataset).
    Raises ``ValueError`` naming both files and how to fix them.
    """
    if scene_a.shape != scene_b.shape:
        raise ValueError(
            f'change detection needs two images of the same area and size: '
            f'{path_a} is {scene_a.width}x{scene_a.height} but {path_b} is '
            f'{scene_b.width}x{scene_b.height}; co-register/crop them'
        )
    if scene_a.crs != scene_b.crs:
        raise ValueError(
            f'change detection needs two images in one CRS: {path_a} is in '
            f'{scene_a.crs} but {path_b} is in {scene_b.crs}; reproject one '
            '(e.g. gdalwarp -t_srs) onto the other grid'
        )
    if not scene_a.transform.almost_equals(scene_b.transform):
        raise ValueError(
            f'change detection needs two images on one pixel grid: {path_a} '
            f'has transform {tuple(scene_a.transform)[:6]} but {path_b} has '
            f'{tuple(scene_b.transform)[:6]}; resample one onto the other '
            '(e.g. gdalwarp -te/-tr)'
        )
