"""Conversion of the ISPRS 2D semantic labelling releases (Potsdam, Vaihingen) to mmseg's layout.

Both releases ship large image tiles and colour-coded label tiles (full reference, and eroded
boundaries as ``*_noBoundary``) that differ only in file naming, bands and tile ids; the
converters in ``tools/dataset_converters/`` (``potsdam.py``, ``vaihingen.py``) describe their
release with an :class:`ISPRSRelease` and share everything else here: finding the files in the
official zips or folders (read through GDAL's /vsizip, nothing extracted), decoding labels row
block by row block with :func:`~mmslffm.dataset_converters.isprs_labels.rgb_to_index`
(unknown colours reported, never mapped to a class), cropping, and the conversion report.
mmseg's converters map unknown colours silently and write overlapping val crops.
"""

import argparse
import os
import os.path as osp
import sys
import zipfile
from dataclasses import dataclass
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np
import rasterio
from mmengine.utils import ProgressBar
from PIL import Image
from rasterio.errors import RasterioError
from rasterio.windows import Window

from mmslffm.datasets.image_io import (
    UnreadableImageError,
    check_pixel_count,
    read_raster,
)
from .isprs_labels import BOUNDARY_COLOUR, format_unknown_colours, rgb_to_index

__all__ = [
    'release_argument_parser',
    'parse_release_arguments',
    'ISPRSRelease',
    'find_tiles',
    'crop_boxes',
    'read_index_label',
    'convert_release',
    'LABEL',
    'ERODED_LABEL',
]

LABEL, ERODED_LABEL = 'label', 'label_noBoundary'
ROW_BLOCK = 512  # label rows decoded at once

Box = Tuple[int, int, int, int]
TileFiles = Dict[Tuple[str, str], str]  # (tile, kind) -> rasterio path


@dataclass(frozen=True)
class ISPRSRelease:
    """What differs between the ISPRS releases.

    Args:
        name: 'Potsdam' or 'Vaihingen' (messages).
        classify: ``(source, member path) -> (tile, kind)`` or None for
            files of no interest; ``kind`` is an image band set ('RGB',
            'IRRG') or :data:`LABEL` / :data:`ERODED_LABEL`. ``source`` is
            the zip or folder the member came from.
        file_hint: the expected file names, for the "nothing found" error.
    """

    name: str
    classify: Callable[[str, str], Optional[Tuple[str, str]]]
    file_hint: str


def find_tiles(release: ISPRSRelease, sources: Sequence[str]) -> TileFiles:
    """``{(tile, kind): rasterio path}`` for every release file in the sources."""
    found = {}
    for source in sources:
        if zipfile.is_zipfile(source):
            with zipfile.ZipFile(source) as archive:
                names = archive.namelist()
            paths = [(n, f'zip://{osp.abspath(source)}!/{n}') for n in names]
        elif osp.isdir(source):
            paths = [
                (osp.relpath(osp.join(root, n), source), osp.join(root, n))
                for root, _, files in os.walk(source)
                for n in files
            ]
        else:
            raise FileNotFoundError(
                f'{source}: neither a zip nor a folder; pass the official '
                f'{release.name} zips or folders with their .tif files'
            )
        for name, path in paths:
            key = release.classify(source, name)
            if key:
                found[key] = path
    return found


def crop_boxes(height: int, width: int, size: int, stride: int) -> List[Box]:
    """(x0, y0, x1, y1) crops covering the image; the last row/column ends at the edge."""

    def starts(length: int) -> List[int]:
        if length <= size:
            return [0]
        last = length - size
        return sorted({*range(0, last, stride), last})

    return [
        (x, y, min(x + size, width), min(y + size, height))
        for y in starts(height)
        for x in starts(width)
    ]


def read_index_label(
    path: str, ignore_boundary: bool
) -> Tuple[np.ndarray, Dict[Tuple[int, int, int], int]]:
    """Decode a colour label tile by row blocks: (H, W) uint8 mask, unknown colours."""
    unknown: Dict[Tuple[int, int, int], int] = {}
    with rasterio.open(path) as label:
        if label.count < 3:
            raise ValueError(
                f'{path}: {label.count} band(s); an ISPRS colour '
                'label has 3 (RGB)'
            )
        check_pixel_count(path, label.width, label.height)
        mask = np.empty((label.height, label.width), np.uint8)
        for top in range(0, label.height, ROW_BLOCK):
            rows = min(ROW_BLOCK, label.height - top)
            rgb = read_raster(
                label, [1, 2, 3], window=Window(0, top, label.width, rows)
            )
            index, block_unknown = rgb_to_index(
                rgb.transpose(1, 2, 0),
                ignore_colours=(BOUNDARY_COLOUR,) if ignore_boundary else (),
            )
            mask[top : top + rows] = index
            for colour, count in block_unknown.items():
                unknown[colour] = unknown.get(colour, 0) + count
    return mask, unknown


def _iter_image_crops(path: str, boxes: List[Box]) -> Iterator[np.ndarray]:
    """(h, w, 3) uint8 crops of the image tile, read window by window."""
    with rasterio.open(path) as image:
        if image.count < 3:
            raise ValueError(f'{path}: {image.count} band(s), expected 3')
        if image.dtypes[0] != 'uint8':
            raise ValueError(
                f'{path}: pixels are {image.dtypes[0]}; the '
                'official RGB/IRRG tiles are 8-bit'
            )
        for x0, y0, x1, y1 in boxes:
            window = Window(x0, y0, x1 - x0, y1 - y0)
            yield read_raster(image, [1, 2, 3], window=window).transpose(
                1, 2, 0
            )


def _convert_tile(
    tile: str,
    split: str,
    files: Dict[str, str],
    boxes_for: Callable[[int, int], List[Box]],
    out_dir: str,
) -> List[str]:
    """Write one tile's crops; return report lines for unknown label colours."""
    with rasterio.open(files['image']) as image:
        height, width = image.height, image.width
    check_pixel_count(files['image'], width, height)  # corrupt/bomb header
    boxes = boxes_for(height, width)
    report = []
    masks = {}
    for kind, ann_dir in (
        (LABEL, 'ann_dir'),
        (ERODED_LABEL, 'ann_dir_eroded'),
    ):
        if kind not in files:
            continue
        mask, unknown = read_index_label(files[kind], kind == ERODED_LABEL)
        if mask.shape != (height, width):
            raise ValueError(
                f'{files[kind]}: label is {mask.shape[1]}x'
                f'{mask.shape[0]} but its image is {width}x'
                f'{height}; check the download'
            )
        if unknown:
            report.append(
                f'{files[kind]}: colours outside the ISPRS palette '
                f'mapped to ignore (0): '
                f'{format_unknown_colours(unknown)}'
            )
        masks[ann_dir] = mask
    written: List[str] = []
    try:
        for box, crop in zip(boxes, _iter_image_crops(files['image'], boxes)):
            name = f'{tile}_{box[0]}_{box[1]}_{box[2]}_{box[3]}.png'
            written.append(osp.join(out_dir, 'img_dir', split, name))
            Image.fromarray(crop).save(written[-1])
            for ann_dir, mask in masks.items():
                written.append(osp.join(out_dir, ann_dir, split, name))
                Image.fromarray(mask[box[1] : box[3], box[0] : box[2]]).save(
                    written[-1]
                )
    except BaseException:  # a tile is converted whole or not at all
        for path in written:
            if osp.exists(path):
                os.remove(path)
        raise
    return report


def convert_release(
    release: ISPRSRelease,
    sources: Sequence[str],
    out_dir: str,
    image_kind: str,
    splits: Dict[str, Sequence[str]],
    crop_size: int,
    stride: int,
    val_crop_size: int = 0,
) -> List[str]:
    """Convert the release's tiles of each split; returns the skipped tiles.

    Train tiles become ``crop_size`` crops every ``stride``; ``val`` tiles are
    written whole (``val_crop_size=0``) or as non-overlapping crops. Tiles
    lacking their image or full label are skipped with a warning; a tile that
    cannot be read whole (truncated or corrupt TIFF, GDAL read errors or
    warnings, wrong band count or type, bomb-sized header, label of another
    size) is reported with its path and skipped, the others converted; label
    colours outside the palette are reported. Both go to stderr and to
    ``<out_dir>/conversion_report.txt``.
    """
    found = find_tiles(release, sources)
    whole = lambda h, w: [(0, 0, w, h)]  # noqa: E731
    boxes_for = {
        'train': lambda h, w: crop_boxes(h, w, crop_size, stride),
        'val': (lambda h, w: crop_boxes(h, w, val_crop_size, val_crop_size))
        if val_crop_size
        else whole,
    }
    jobs = []
    for split, tiles in splits.items():
        missing = [
            t
            for t in tiles
            if (t, image_kind) not in found or (t, LABEL) not in found
        ]
        if missing:
            print(
                f'warning: {split}: {len(missing)} tile(s) without both '
                f'their {image_kind} image and label in the sources, '
                f'skipped: {" ".join(missing)}',
                file=sys.stderr,
            )
        for tile in tiles:
            if tile in missing:
                continue
            files = {
                'image': found[(tile, image_kind)],
                LABEL: found[(tile, LABEL)],
            }
            if (tile, ERODED_LABEL) in found:
                files[ERODED_LABEL] = found[(tile, ERODED_LABEL)]
            jobs.append((tile, split, files))
    if not jobs:
        raise FileNotFoundError(
            f'no {release.name} tile found in {list(sources)}: expected '
            f'{release.file_hint}'
        )
    with_eroded = any(ERODED_LABEL in files for _, _, files in jobs)
    for split in splits:
        for folder in ('img_dir', 'ann_dir') + (
            ('ann_dir_eroded',) if with_eroded else ()
        ):
            os.makedirs(osp.join(out_dir, folder, split), exist_ok=True)
    report: List[str] = []
    skipped: List[str] = []
    progress = ProgressBar(len(jobs))
    for tile, split, files in jobs:
        try:
            report += _convert_tile(
                tile, split, files, boxes_for[split], out_dir
            )
        except (UnreadableImageError, RasterioError, ValueError) as err:
            skipped.append(f'tile {tile} skipped: {err}')
        progress.update()
    print()
    for line in report + skipped:
        print(f'warning: {line}', file=sys.stderr)
    with open(osp.join(out_dir, 'conversion_report.txt'), 'w') as file:
        file.write(
            '\n'.join(report + skipped or ['all label colours in the palette'])
            + '\n'
        )
    print(
        f'{len(jobs) - len(skipped)} tile(s) written to {out_dir}'
        f'{" (with eroded labels)" if with_eroded else ""}'
        f'{f", {len(skipped)} skipped" if skipped else ""}'
    )
    return skipped


def release_argument_parser(
    description: str,
    out_dir: str,
    train_tiles: Sequence[str],
    test_tiles: Sequence[str],
) -> argparse.ArgumentParser:
    """The options both release converters take; a converter adds its own."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        'sources',
        nargs='+',
        help='official zips or folders with the .tif tiles',
    )
    parser.add_argument('-o', '--out-dir', default=out_dir)
    parser.add_argument('--crop-size', type=int, default=512)
    parser.add_argument('--stride', type=int, default=256)
    parser.add_argument(
        '--val-crop-size',
        type=int,
        default=0,
        help='0 (default): whole val tiles; N: N x N crops '
        'without overlap except at the right/bottom edges',
    )
    parser.add_argument('--train-tiles', nargs='+', default=list(train_tiles))
    parser.add_argument('--val-tiles', nargs='+', default=list(test_tiles))
    return parser


def parse_release_arguments(
    parser: argparse.ArgumentParser,
) -> argparse.Namespace:
    """Parse the command line; sizes that cut no crop are a usage error."""
    args = parser.parse_args()
    if min(args.crop_size, args.stride) < 1 or args.val_crop_size < 0:
        parser.error(
            '--crop-size and --stride must be positive and '
            '--val-crop-size at least 0'
        )
    return args
