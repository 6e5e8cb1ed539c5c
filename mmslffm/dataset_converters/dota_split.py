"""Cut DOTA-style scenes and their labelTxt into fixed-size patches (DOTA devkit protocol).

DOTA: Xia et al., "DOTA: A Large-scale Dataset for Object Detection in Aerial Images", CVPR
2018; its devkit cuts scenes into overlapping patches, detects on them and merges back.

Why not mmrotate's ``tools/data/dota/split/img_split.py``: it is a script inside ``.mim`` (not an
importable API), needs shapely, names patches ``<image>__<window size>__<x>___<y>`` (scales the
window, not the image) and cannot resume. This follows the devkit convention our merge expects:
the image is rescaled by ``rate`` and cut into ``patch_size`` windows overlapping by ``gap``;
patches are named ``<image>__<rate>__<x>___<y>`` with x, y in the *rescaled* image.

Objects are kept in a patch when at least ``iof_thr`` of their area lies inside it; their
polygon is kept whole (shifted, not clipped, so a merge gives back the original box) and a cut
object gets difficulty 2, as in the devkit and mmrotate.

Scenes are decoded strictly (:func:`~mmslffm.datasets.image_io.read_image`): a truncated,
empty or bomb-sized file is reported and writes nothing instead of being cut into grey
patches, and 16-bit / float scenes are stretched to 8 bits. Label lines with non-finite, absurd
or degenerate coordinates, or lying outside the scene, are reported with file and line.
"""

import os
import os.path as osp
from dataclasses import dataclass, field
from typing import Iterator, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from mmslffm.datasets.dota_labels import (
    DotaObject,
    read_dota_labels,
    write_dota_labels,
)
from mmslffm.datasets.image_io import UnreadableImageError, read_image
from mmslffm.datasets.polygons import fraction_inside_window, polygon_problem

__all__ = [
    'IMAGE_EXTENSIONS',
    'SplitSettings',
    'SplitReport',
    'find_scene_images',
    'patch_name',
    'sliding_windows',
    'split_scene',
]

IMAGE_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.tif', '.tiff', '.bmp')
TRUNCATED_DIFFICULTY = 2


@dataclass
class SplitSettings:
    """How to cut: window side, overlap, scale rates, object keep threshold."""

    patch_size: int = 1024
    gap: int = 200
    rates: Sequence[float] = (1.0,)
    iof_thr: float = 0.7
    keep_empty: bool = False
    padding_value: int = 0
    extension: str = '.png'
    max_pixels: Optional[int] = None  # None: Pillow's decompression-bomb limit

    def __post_init__(self) -> None:
        if not 0 <= self.gap < self.patch_size:
            raise ValueError(
                f'gap must be in [0, patch_size), got gap='
                f'{self.gap}, patch_size={self.patch_size}'
            )
        if any(rate <= 0 for rate in self.rates):
            raise ValueError(f'rates must be positive, got {self.rates}')


@dataclass
class SplitReport:
    """Patches written and problems met (each names its file) for one or more scenes.

    ``finished`` is False when a scene could not be cut (undecodable image):
    it must not be marked done, so a rerun tries it again.
    """

    patches: int = 0
    objects: int = 0
    problems: List[str] = field(default_factory=list)
    finished: bool = True


def patch_name(image_id: str, rate: float, x: int, y: int) -> str:
    """``P0001``, 1.0, 824, 0 -> ``P0001__1__824___0`` (the DOTA devkit convention)."""
    return f'{image_id}__{rate:g}__{x}___{y}'


def _window_starts(length: int, patch_size: int, step: int) -> List[int]:
    """Left edges of windows covering [0, length); the last one flush with the end."""
    if length <= patch_size:
        return [0]
    starts = list(range(0, length - patch_size, step))
    starts.append(length - patch_size)
    return starts


def sliding_windows(
    width: int, height: int, patch_size: int, gap: int
) -> Iterator[Tuple[int, int]]:
    """Top-left corners (x, y) of the patches covering a width x height image."""
    step = patch_size - gap
    for y in _window_starts(height, patch_size, step):
        for x in _window_starts(width, patch_size, step):
            yield x, y


def _objects_in_window(
    objects: Sequence[DotaObject], x: int, y: int, settings: SplitSettings
) -> List[DotaObject]:
    """Objects with >= iof_thr of their area in the window, shifted to patch coordinates."""
    window = (x, y, x + settings.patch_size, y + settings.patch_size)
    offset = np.array([x, y] * 4, dtype=np.float32)
    kept = []
    for obj in objects:
        inside = fraction_inside_window(obj.polygon, window)
        if inside < settings.iof_thr or inside == 0:
            continue
        difficult = (
            obj.difficult if inside >= 1 - 1e-6 else TRUNCATED_DIFFICULTY
        )
        kept.append(
            DotaObject(obj.polygon - offset, obj.class_name, difficult)
        )
    return kept


def _crop_padded(
    image: np.ndarray, x: int, y: int, settings: SplitSettings
) -> np.ndarray:
    """The patch at (x, y), padded to patch_size when the image is smaller."""
    size = settings.patch_size
    crop = image[y : y + size, x : x + size]
    if crop.shape[:2] == (size, size):
        return crop
    padded = np.full(
        (size, size) + image.shape[2:],
        settings.padding_value,
        dtype=image.dtype,
    )
    padded[: crop.shape[0], : crop.shape[1]] = crop
    return padded


def _objects_inside(
    objects: Sequence[DotaObject],
    label_path: str,
    shape: Tuple[int, int],
    problems: List[str],
) -> List[DotaObject]:
    """Objects touching the (H, W) image; the others reported with file:line."""
    kept = []
    for obj in objects:
        problem = polygon_problem(obj.polygon, (shape[1], shape[0]))
        if problem is None:
            kept.append(obj)
        else:
            problems.append(
                f'{label_path}:{obj.line}: {problem}; line '
                'skipped, fix or delete it'
            )
    return kept


def split_scene(
    image_path: str,
    label_path: Optional[str],
    classes: Sequence[str],
    out_image_dir: str,
    out_label_dir: Optional[str],
    settings: SplitSettings,
) -> SplitReport:
    """Cut one scene (and its labels, if any) into patches written to the out dirs.

    Without ``label_path`` (an unlabelled test split) every patch is written and no label
    files are. A scene that fails to decode is reported, writes nothing and
    comes back with ``finished=False``.

    Returns:
        SplitReport of this scene.
    """
    report = SplitReport()
    try:
        # whole scenes: the split's max_pixels bounds them, not the tile limit
        image = read_image(
            image_path, max_pixels=settings.max_pixels, max_bytes=None
        )
    except UnreadableImageError as err:
        report.problems.append(f'{err}; scene skipped')
        report.finished = False
        return report
    image = np.ascontiguousarray(image[..., ::-1])  # RGB -> BGR for cv2
    objects: List[DotaObject] = []
    if label_path is not None:
        label_file = read_dota_labels(label_path, classes)
        report.problems.extend(label_file.problems)
        objects = _objects_inside(
            label_file.objects, label_path, image.shape[:2], report.problems
        )
    image_id = osp.splitext(osp.basename(image_path))[0]
    for rate in settings.rates:
        scaled = (
            image
            if rate == 1
            else cv2.resize(
                image, None, fx=rate, fy=rate, interpolation=cv2.INTER_CUBIC
            )
        )
        scaled_objects = [
            DotaObject(obj.polygon * rate, obj.class_name, obj.difficult)
            for obj in objects
        ]
        height, width = scaled.shape[:2]
        for x, y in sliding_windows(
            width, height, settings.patch_size, settings.gap
        ):
            patch_objects = _objects_in_window(scaled_objects, x, y, settings)
            if (
                label_path is not None
                and not patch_objects
                and not settings.keep_empty
            ):
                continue
            name = patch_name(image_id, rate, x, y)
            patch_path = osp.join(out_image_dir, name + settings.extension)
            if not cv2.imwrite(
                patch_path, _crop_padded(scaled, x, y, settings)
            ):
                raise OSError(
                    f'{patch_path}: could not be written (disk '
                    'full, or an extension OpenCV cannot encode)'
                )
            if out_label_dir is not None and label_path is not None:
                write_dota_labels(
                    osp.join(out_label_dir, name + '.txt'), patch_objects
                )
            report.patches += 1
            report.objects += len(patch_objects)
    return report


def find_scene_images(image_dir: str) -> List[str]:
    """Image files of a folder, sorted, by extension (see IMAGE_EXTENSIONS)."""
    if not osp.isdir(image_dir):
        raise NotADirectoryError(
            f'image folder not found: {image_dir} (DOTA layout: '
            '<root>/<split>/images/*.png and <root>/<split>/labelTxt/*.txt)'
        )
    return sorted(
        osp.join(image_dir, name)
        for name in os.listdir(image_dir)
        if osp.splitext(name)[1].lower() in IMAGE_EXTENSIONS
    )
