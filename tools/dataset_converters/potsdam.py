"""Convert the official ISPRS Potsdam download into mmseg's layout (512 crops, index masks).

    python tools/dataset_converters/potsdam.py SOURCE [SOURCE ...] -o data/potsdam
        [--bands RGB|IRRG] [--crop-size 512] [--stride 256] [--val-crop-size 0]

SOURCE: the official zips (``2_Ortho_RGB.zip``, ``5_Labels_all.zip``, optionally
``5_Labels_all_noBoundary.zip``) or folders holding their ``top_potsdam_<tile>_RGB.tif``,
``top_potsdam_<tile>_label.tif`` and ``top_potsdam_<tile>_label_noBoundary.tif`` files.
Tiles are read window by window with rasterio (zips through GDAL's /vsizip, nothing extracted).

Writes ``img_dir/{train,val}``, ``ann_dir/{train,val}`` (full reference labels) and, when eroded
labels are given, ``ann_dir_eroded/{train,val}``; masks 0 = ignore, 1..6 = impervious
surfaces, building, low vegetation, tree, car, clutter (mmseg's ``PotsdamDataset``).
Train tiles become crops of ``--crop-size`` every ``--stride``; the 14 official test tiles
(``val``) are written whole by default so every pixel is scored once (slide inference), or as
crops with ``--val-crop-size``. Label colours outside the ISPRS palette are reported (file,
colour, pixel count) and mapped to ignore; the report is also saved as ``conversion_report.txt``.
A tile that cannot be read whole (truncated or corrupt TIFF, GDAL read errors or warnings, wrong
band count, label of another size) is reported with its path and skipped; the others are
converted. mmseg's converter exists but maps unknown colours silently, writes overlapping val
crops and stops at the first unreadable file.

Exit status: 0 = done, 1 = done but tiles were skipped, 2 = could not run (bad arguments, no
tile found in the sources).
"""
import argparse
import os
import os.path as osp
import re
import sys
import zipfile
from typing import Dict, Iterator, List, Tuple

import numpy as np
import rasterio
from mmengine.utils import ProgressBar
from PIL import Image
from rasterio.errors import RasterioError
from rasterio.windows import Window

from mmslffm.datasets.image_io import (UnreadableImageError,
                                      check_pixel_count, read_raster)
from mmslffm.datasets.isprs_labels import (BOUNDARY_COLOUR, rgb_to_index,
                                           format_unknown_colours)
from mmslffm.utils import exit_on_user_error

OFFICIAL_TRAIN_TILES = (
    '2_10 2_11 2_12 3_10 3_11 3_12 4_10 4_11 4_12 5_10 5_11 5_12 6_7 6_8 6_9 '
    '6_10 6_11 6_12 7_7 7_8 7_9 7_10 7_11 7_12').split()
OFFICIAL_TEST_TILES = (
    '2_13 2_14 3_13 3_14 4_13 4_14 4_15 5_13 5_14 5_15 6_13 6_14 6_15 7_13'
).split()
FILE_PATTERN = re.compile(
    r'top_potsdam_(\d+_\d+)_(RGB|IRRG|label|label_noBoundary)\.tif$')
ROW_BLOCK = 512  # label rows decoded at once

Box = Tuple[int, int, int, int]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('sources', nargs='+',
                        help='official zips or folders with the .tif tiles')
    parser.add_argument('-o', '--out-dir', default='data/potsdam')
    parser.add_argument('--bands', default='RGB', choices=['RGB', 'IRRG'])
    parser.add_argument('--crop-size', type=int, default=512)
    parser.add_argument('--stride', type=int, default=256)
    parser.add_argument('--val-crop-size', type=int, default=0,
                        help='0 (default): whole val tiles; N: N x N crops '
                        'without overlap except at the right/bottom edges')
    parser.add_argument('--train-tiles', nargs='+', default=OFFICIAL_TRAIN_TILES)
    parser.add_argument('--val-tiles', nargs='+', default=OFFICIAL_TEST_TILES)
    args = parser.parse_args()
    if min(args.crop_size, args.stride) < 1 or args.val_crop_size < 0:
        parser.error('--crop-size and --stride must be positive and '
                     '--val-crop-size at least 0')
    return args


def find_tiles(sources: List[str]) -> Dict[Tuple[str, str], str]:
    """``{(tile, kind): rasterio path}`` for every official file in the sources."""
    found = {}
    for source in sources:
        if zipfile.is_zipfile(source):
            with zipfile.ZipFile(source) as archive:
                names = archive.namelist()
            paths = [(n, f'zip://{osp.abspath(source)}!/{n}') for n in names]
        elif osp.isdir(source):
            paths = [(n, osp.join(root, n)) for root, _, files in
                     os.walk(source) for n in files]
        else:
            raise FileNotFoundError(
                f'{source}: neither a zip nor a folder; pass the official '
                'Potsdam zips (2_Ortho_RGB.zip, 5_Labels_all.zip) or folders')
        for name, path in paths:
            match = FILE_PATTERN.search(osp.basename(name))
            if match:
                found[(match.group(1), match.group(2))] = path
    return found


def crop_boxes(height: int, width: int, size: int, stride: int) -> List[Box]:
    """(x0, y0, x1, y1) crops covering the image; the last row/column ends at the edge."""

    def starts(length: int) -> List[int]:
        if length <= size:
            return [0]
        last = length - size
        return sorted({*range(0, last, stride), last})

    return [(x, y, min(x + size, width), min(y + size, height))
            for y in starts(height) for x in starts(width)]


def read_index_label(path: str, ignore_boundary: bool
                     ) -> Tuple[np.ndarray, Dict[Tuple[int, int, int], int]]:
    """Decode a colour label tile by row blocks: (H, W) uint8 mask, unknown colours."""
    unknown: Dict[Tuple[int, int, int], int] = {}
    with rasterio.open(path) as label:
        if label.count < 3:
            raise ValueError(f'{path}: {label.count} band(s); an ISPRS colour '
                             'label has 3 (RGB)')
        check_pixel_count(path, label.width, label.height)
        mask = np.empty((label.height, label.width), np.uint8)
        for top in range(0, label.height, ROW_BLOCK):
            rows = min(ROW_BLOCK, label.height - top)
            rgb = read_raster(label, [1, 2, 3],
                              window=Window(0, top, label.width, rows))
            index, block_unknown = rgb_to_index(
                rgb.transpose(1, 2, 0),
                ignore_colours=(BOUNDARY_COLOUR, ) if ignore_boundary else ())
            mask[top:top + rows] = index
            for colour, count in block_unknown.items():
                unknown[colour] = unknown.get(colour, 0) + count
    return mask, unknown


def iter_image_crops(path: str, boxes: List[Box]) -> Iterator[np.ndarray]:
    """(h, w, 3) uint8 crops of the image tile, read window by window."""
    with rasterio.open(path) as image:
        if image.count < 3:
            raise ValueError(f'{path}: {image.count} band(s), expected 3')
        if image.dtypes[0] != 'uint8':
            raise ValueError(f'{path}: pixels are {image.dtypes[0]}; the '
                             'official RGB/IRRG tiles are 8-bit')
        for x0, y0, x1, y1 in boxes:
            window = Window(x0, y0, x1 - x0, y1 - y0)
            yield read_raster(image, [1, 2, 3],
                              window=window).transpose(1, 2, 0)


def convert_tile(tile: str, split: str, files: Dict[str, str],
                 boxes_for, out_dir: str) -> List[str]:
    """Write one tile's crops; return report lines for unknown label colours."""
    with rasterio.open(files['image']) as image:
        height, width = image.height, image.width
    check_pixel_count(files['image'], width, height)  # corrupt/bomb header
    boxes = boxes_for(height, width)
    report = []
    masks = {}
    for kind, ann_dir in (('label', 'ann_dir'),
                          ('label_noBoundary', 'ann_dir_eroded')):
        if kind not in files:
            continue
        mask, unknown = read_index_label(files[kind],
                                         kind == 'label_noBoundary')
        if mask.shape != (height, width):
            raise ValueError(f'{files[kind]}: label is {mask.shape[1]}x'
                             f'{mask.shape[0]} but its image is {width}x'
                             f'{height}; check the download')
        if unknown:
            report.append(f'{files[kind]}: colours outside the ISPRS palette '
                          f'mapped to ignore (0): '
                          f'{format_unknown_colours(unknown)}')
        masks[ann_dir] = mask
    written: List[str] = []
    try:
        for box, crop in zip(boxes, iter_image_crops(files['image'], boxes)):
            name = f'{tile}_{box[0]}_{box[1]}_{box[2]}_{box[3]}.png'
            written.append(osp.join(out_dir, 'img_dir', split, name))
            Image.fromarray(crop).save(written[-1])
            for ann_dir, mask in masks.items():
                written.append(osp.join(out_dir, ann_dir, split, name))
                Image.fromarray(mask[box[1]:box[3], box[0]:box[2]]).save(
                    written[-1])
    except BaseException:  # a tile is converted whole or not at all
        for path in written:
            if osp.exists(path):
                os.remove(path)
        raise
    return report


@exit_on_user_error
def main() -> None:
    args = parse_args()
    found = find_tiles(args.sources)
    splits = {'train': args.train_tiles, 'val': args.val_tiles}
    boxes_for = {
        'train': lambda h, w: crop_boxes(h, w, args.crop_size, args.stride),
        'val': (lambda h, w: crop_boxes(h, w, args.val_crop_size, args.
                                        val_crop_size))
        if args.val_crop_size else (lambda h, w: [(0, 0, w, h)])
    }
    jobs = []
    for split, tiles in splits.items():
        missing = [t for t in tiles if (t, args.bands) not in found
                   or (t, 'label') not in found]
        if missing:
            print(f'warning: {split}: {len(missing)} tile(s) without both '
                  f'top_potsdam_<tile>_{args.bands}.tif and _label.tif in the '
                  f'sources, skipped: {" ".join(missing)}', file=sys.stderr)
        for tile in tiles:
            if tile in missing:
                continue
            files = {'image': found[(tile, args.bands)],
                     'label': found[(tile, 'label')]}
            if (tile, 'label_noBoundary') in found:
                files['label_noBoundary'] = found[(tile, 'label_noBoundary')]
            jobs.append((tile, split, files))
    if not jobs:
        raise FileNotFoundError(
            f'no Potsdam tile found in {args.sources}: expected files named '
            f'top_potsdam_<tile>_{args.bands}.tif and '
            'top_potsdam_<tile>_label.tif (official 2_Ortho_RGB.zip / '
            '5_Labels_all.zip)')
    with_eroded = any('label_noBoundary' in files for _, _, files in jobs)
    for split in splits:
        for folder in ('img_dir', 'ann_dir') + (('ann_dir_eroded', )
                                                if with_eroded else ()):
            os.makedirs(osp.join(args.out_dir, folder, split), exist_ok=True)
    report: List[str] = []
    skipped: List[str] = []
    progress = ProgressBar(len(jobs))
    for tile, split, files in jobs:
        try:
            report += convert_tile(tile, split, files, boxes_for[split],
                                   args.out_dir)
        except (UnreadableImageError, RasterioError, ValueError) as err:
            skipped.append(f'tile {tile} skipped: {err}')
        progress.update()
    print()
    for line in report + skipped:
        print(f'warning: {line}', file=sys.stderr)
    with open(osp.join(args.out_dir, 'conversion_report.txt'), 'w') as file:
        file.write('\n'.join(
            report + skipped or ['all label colours in the palette']) + '\n')
    print(f'{len(jobs) - len(skipped)} tile(s) written to {args.out_dir}'
          f'{" (with eroded labels)" if with_eroded else ""}'
          f'{f", {len(skipped)} skipped" if skipped else ""}')
    if skipped:
        sys.exit(1)


if __name__ == '__main__':
    main()
