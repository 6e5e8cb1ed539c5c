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
The conversion itself is shared with Vaihingen: :mod:`mmslffm.dataset_converters.isprs_conversion`.

A tile that cannot be read whole is reported with its path and skipped; the others are
converted (mmseg's converter stops at the first unreadable file).

Exit status: 0 = done, 1 = done but tiles were skipped, 2 = could not run (bad arguments, no
tile found in the sources).
"""

import argparse
import os.path as osp
import re
import sys
from typing import Optional, Tuple

from mmslffm.utils.quiet_imports import import_datasets_quietly

# Before the imports below load mmdet/mmseg/mmrotate/mmpretrain: without the
# "Could not import OneDL" lines their dataset packages print on import.
import_datasets_quietly()

from mmslffm.apis.cli import exit_on_user_error
from mmslffm.dataset_converters.isprs_conversion import (
    ISPRSRelease,
    convert_release,
    parse_release_arguments,
    release_argument_parser,
)

OFFICIAL_TRAIN_TILES = (
    '2_10 2_11 2_12 3_10 3_11 3_12 4_10 4_11 4_12 5_10 5_11 5_12 6_7 6_8 6_9 '
    '6_10 6_11 6_12 7_7 7_8 7_9 7_10 7_11 7_12'
).split()
OFFICIAL_TEST_TILES = (
    '2_13 2_14 3_13 3_14 4_13 4_14 4_15 5_13 5_14 5_15 6_13 6_14 6_15 7_13'
).split()
FILE_PATTERN = re.compile(
    r'top_potsdam_(\d+_\d+)_(RGB|IRRG|label|label_noBoundary)\.tif$'
)


def classify(source: str, name: str) -> Optional[Tuple[str, str]]:
    """(tile, kind) from ``top_potsdam_<tile>_<kind>.tif``."""
    match = FILE_PATTERN.search(osp.basename(name))
    return (match.group(1), match.group(2)) if match else None


def parse_args() -> argparse.Namespace:
    parser = release_argument_parser(
        __doc__.splitlines()[0],
        'data/potsdam',
        OFFICIAL_TRAIN_TILES,
        OFFICIAL_TEST_TILES,
    )
    parser.add_argument('--bands', default='RGB', choices=['RGB', 'IRRG'])
    return parse_release_arguments(parser)


@exit_on_user_error
def main() -> None:
    args = parse_args()
    release = ISPRSRelease(
        name='Potsdam',
        classify=classify,
        file_hint=(
            f'files named top_potsdam_<tile>_{args.bands}.tif and '
            'top_potsdam_<tile>_label.tif (official 2_Ortho_RGB.zip / '
            '5_Labels_all.zip)'
        ),
    )
    skipped = convert_release(
        release,
        args.sources,
        args.out_dir,
        args.bands,
        dict(train=args.train_tiles, val=args.val_tiles),
        args.crop_size,
        args.stride,
        args.val_crop_size,
    )
    if skipped:
        sys.exit(1)


if __name__ == '__main__':
    main()
