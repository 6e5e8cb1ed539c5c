"""Loading transforms that decode strictly (:mod:`mmslffm.datasets.image_io`).

A truncated, empty or bomb-sized file raises an error naming it instead of decoding as grey
rows (OpenCV's behaviour), and 16-bit / float rasters are stretched to 8 bits.

* :class:`LoadRemoteSensingImage`: one image, a strict drop-in for mmcv's ``LoadImageFromFile``.
* :class:`LoadImagePairFromFile` and :class:`LoadBinaryChangeLabel`: a change-detection pair
  and its label. mmseg's ``LoadMultipleRSImageFromFile`` needs GDAL (not in our stack) and keeps
  A and B as two arrays, so every geometric transform would need a paired twin. Here A and B
  are read with Pillow (PNG/JPEG) or rasterio (TIFF content, any band count and dtype, the
  ``bands`` chosen as the pretraining reader does) and *stacked on channels* into one
  (H, W, 2C) ``img``: mmseg/mmcv geometric transforms (``RandomCrop``, ``RandomFlip``,
  ``RandomRotate``, ``Resize``...) then move both dates and the label identically by
  construction. mmseg's ``LoadAnnotations`` takes 255 as "ignore", but
  LEVIR-style labels mark change with 255, so the label loader maps {0, 255} (or {0, 1}) to
  {0, 1} and refuses anything else; an unusable pair raises :class:`InvalidSampleError`.
"""

from typing import Optional, Sequence, Union

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine import fileio

from mmslffm.registry import TRANSFORMS
from ..image_io import (
    DEFAULT_MAX_IMAGE_BYTES,
    UnreadableImageError,
    is_tiff,
    open_pil_image,
    pil_to_rgb,
    read_image,
    read_tiff,
)

__all__ = [
    'LoadRemoteSensingImage',
    'InvalidSampleError',
    'LoadImagePairFromFile',
    'LoadBinaryChangeLabel',
    'read_date_image',
]


class InvalidSampleError(ValueError):
    """A sample's files are unusable (missing, unreadable, mismatched, not binary)."""


def read_date_image(
    path: str,
    channel_order: str = 'rgb',
    backend_args: Optional[dict] = None,
    bands: Union[None, str, Sequence[int]] = None,
    max_bytes: Optional[int] = DEFAULT_MAX_IMAGE_BYTES,
) -> np.ndarray:
    """Read an image file as (H, W, C) uint8.

    Local TIFFs (by content, whatever the name) go through rasterio: ``bands``
    (1-based, in that order; None: the first three or the only one three
    times; ``'all'``: every band), 16-bit and float data stretched as in
    pretraining. Other formats go through Pillow in ``channel_order``.
    Raises :class:`InvalidSampleError` naming the file when it is missing,
    does not decode whole, or declares more than ``max_bytes`` decoded.
    """
    if not fileio.exists(path, backend_args=backend_args):
        raise InvalidSampleError(f'image file not found: {path}')
    try:
        if backend_args is None and is_tiff(path):
            return read_tiff(path, bands, max_bytes=max_bytes)
        pil = open_pil_image(
            path,
            data=fileio.get(path, backend_args=backend_args),
            max_bytes=max_bytes,
        )
        try:
            image = pil_to_rgb(pil)
        finally:
            pil.close()
    except UnreadableImageError as err:
        raise InvalidSampleError(str(err)) from None
    return (
        np.ascontiguousarray(image[..., ::-1])
        if channel_order == 'bgr'
        else image
    )


@TRANSFORMS.register_module()
class LoadImagePairFromFile(BaseTransform):
    """Read image A (``img_path``) and B (``img_path2``) and stack them.

    Args:
        to_float32: cast the stacked pair to float32.
        channel_order: band order for non-GeoTIFF files ('rgb' or 'bgr');
            must match the data preprocessor's mean/std.
        backend_args: mmengine file backend arguments.
        bands: TIFF bands of each date (1-based), e.g. ``(4, 3, 2)`` for
            false colour; None: the first three; ``'all'``: every band.
        max_image_bytes: largest decoded size of one image (width x height x
            bands x bytes per sample); larger headers are refused unread.

    Adds ``img`` (H, W, 2C): A's bands then B's; ``img_shape``, ``ori_shape``.
    Raises :class:`InvalidSampleError` naming both files when one is
    missing/unreadable or when A and B differ in size or bands.
    """

    def __init__(
        self,
        to_float32: bool = False,
        channel_order: str = 'rgb',
        backend_args: Optional[dict] = None,
        bands: Union[None, str, Sequence[int]] = None,
        max_image_bytes: Optional[int] = DEFAULT_MAX_IMAGE_BYTES,
    ) -> None:
        self.to_float32 = to_float32
        self.channel_order = channel_order
        self.backend_args = backend_args
        if isinstance(bands, str) and bands != 'all':
            raise ValueError(
                f"LoadImagePairFromFile: bands must be 1-based indexes or 'all',"
                f' got {bands!r}'
            )
        self.bands = bands if bands is None or bands == 'all' else tuple(bands)
        self.max_image_bytes = max_image_bytes

    def transform(self, results: dict) -> dict:
        path_a, path_b = results['img_path'], results['img_path2']
        image_a, image_b = (
            read_date_image(
                path,
                self.channel_order,
                self.backend_args,
                self.bands,
                self.max_image_bytes,
            )
            for path in (path_a, path_b)
        )
        if image_a.shape != image_b.shape:
            raise InvalidSampleError(
                f'image pair of different shapes: {path_a} is '
                f'{_describe(image_a)}, {path_b} is {_describe(image_b)}; A '
                'and B must cover the same area on the same pixel grid '
                '(crop or resample one of them)'
            )
        pair = np.concatenate([image_a, image_b], axis=2)
        results['img'] = pair.astype(np.float32) if self.to_float32 else pair
        results['img_shape'] = pair.shape[:2]
        results['ori_shape'] = pair.shape[:2]
        return results

    def __repr__(self) -> str:
        return (
            f'{self.__class__.__name__}(to_float32={self.to_float32}, '
            f"channel_order='{self.channel_order}', bands={self.bands}, "
            f'max_image_bytes={self.max_image_bytes})'
        )


@TRANSFORMS.register_module()
class LoadBinaryChangeLabel(BaseTransform):
    """Read a change label (0 = unchanged, 255 or 1 = changed) as {0, 1}.

    Args:
        backend_args: mmengine file backend arguments.

    Adds ``gt_seg_map`` (H, W) uint8 in {0, 1} and registers it in
    ``seg_fields`` so geometric transforms move it with the images. Raises
    :class:`InvalidSampleError` naming the file when it is missing, not
    binary, or of another size than the images.
    """

    def __init__(self, backend_args: Optional[dict] = None) -> None:
        self.backend_args = backend_args

    def transform(self, results: dict) -> dict:
        path = results['seg_map_path']
        if not fileio.exists(path, backend_args=self.backend_args):
            raise InvalidSampleError(
                f'change label not found: {path} (partner of '
                f'{results.get("img_path")})'
            )
        try:
            pil = open_pil_image(
                path, data=fileio.get(path, backend_args=self.backend_args)
            )
        except UnreadableImageError as err:
            raise InvalidSampleError(str(err)) from None
        label = np.asarray(pil)
        pil.close()
        if label.ndim == 3:
            if not (label == label[..., :1]).all():
                raise InvalidSampleError(
                    f'change label {path} is a colour image; save it as a '
                    'single-band 0/255 PNG'
                )
            label = label[..., 0]
        values = np.unique(label)
        if not (
            set(values.tolist()) <= {0, 255} or set(values.tolist()) <= {0, 1}
        ):
            raise InvalidSampleError(
                f'change label {path} is not binary: values '
                f'{values[:6].tolist()}{"..." if len(values) > 6 else ""}; '
                'expected 0 (unchanged) and 255 or 1 (changed), saved '
                'losslessly (PNG, not JPEG)'
            )
        if 'img_shape' in results and label.shape != tuple(
            results['img_shape'][:2]
        ):
            raise InvalidSampleError(
                f'change label {path} is {label.shape[1]}x{label.shape[0]} '
                f'but its images ({results.get("img_path")}) are '
                f'{results["img_shape"][1]}x{results["img_shape"][0]}'
            )
        results['gt_seg_map'] = (label > 0).astype(np.uint8)
        results.setdefault('seg_fields', []).append('gt_seg_map')
        return results


def _describe(image: np.ndarray) -> str:
    height, width = image.shape[:2]
    bands = image.shape[2] if image.ndim == 3 else 1
    return f'{width}x{height} with {bands} bands'


@TRANSFORMS.register_module()
class LoadRemoteSensingImage(BaseTransform):
    """Load ``results['img_path']`` with :func:`read_image`.

    A strict drop-in for mmcv's ``LoadImageFromFile``: truncated files,
    decompression bombs and non-images raise :class:`UnreadableImageError`
    (wrap it in ``mmslffm.SkipUnreadable`` or use a dataset that skips), and
    16-bit / float rasters are stretched to 8 bits.

    Adds ``img`` (H, W, C) uint8, ``img_shape`` and ``ori_shape``.

    Args:
        bands: TIFF bands to read (1-based), see :func:`read_image`.
        min_size: smallest accepted side in pixels.
        channel_order: 'rgb', or 'bgr' as mmcv's loader gives (for
            mmdet/mmseg pipelines whose preprocessor sets ``bgr_to_rgb``).
        to_float32: cast ``img`` to float32, as mmcv's option.
        max_image_bytes: largest decoded size (width x height x bands x
            bytes per sample, read from the header); a larger image is
            refused before decoding (None: no limit).
    """

    def __init__(
        self,
        bands: Optional[Sequence[int]] = None,
        min_size: int = 16,
        channel_order: str = 'rgb',
        to_float32: bool = False,
        max_image_bytes: Optional[int] = DEFAULT_MAX_IMAGE_BYTES,
    ):
        if channel_order not in ('rgb', 'bgr'):
            raise ValueError(
                f"channel_order must be 'rgb' or 'bgr', got {channel_order!r}"
            )
        self.bands = tuple(bands) if bands else None
        self.min_size = min_size
        self.channel_order = channel_order
        self.to_float32 = to_float32
        self.max_image_bytes = max_image_bytes

    def transform(self, results: dict) -> dict:
        image = read_image(
            results['img_path'],
            self.bands,
            self.min_size,
            max_bytes=self.max_image_bytes,
        )
        if self.channel_order == 'bgr':
            image = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        elif not image.flags.writeable:  # Pillow's buffer; transforms may edit
            image = image.copy()
        results['img'] = image.astype(np.float32) if self.to_float32 else image
        results['img_shape'] = results['ori_shape'] = image.shape[:2]
        return results

    def __repr__(self) -> str:
        return (
            f'{type(self).__name__}(bands={self.bands}, '
            f'min_size={self.min_size}, '
            f"channel_order='{self.channel_order}', "
            f'to_float32={self.to_float32}, '
            f'max_image_bytes={self.max_image_bytes})'
        )
