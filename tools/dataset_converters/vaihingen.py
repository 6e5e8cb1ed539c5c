"""Convert the official ISPRS Vaihingen release into mmseg's layout (512 crops, index masks).

    python tools/dataset_converters/vaihingen.py SOURCE [SOURCE ...] -o data/vaihingen
        [--crop-size 512] [--stride 256] [--val-crop-size 0]

SOURCE: the official zips ``ISPRS_semantic_labeling_Vaihingen.zip`` (images:
``top/top_mosaic_09cm_area<N>.tif``),
``ISPRS_semantic_labeling_Vaihingen_ground_truth_COMPLETE.zip`` (full reference labels, same
file names) and optionally
``ISPRS_semantic_labeling_Vaihingen_ground_truth_eroded_COMPLETE.zip``
(``top_mosaic_09cm_area<N>_noBoundary.tif``), or folders with those contents; a label is told
from its image by ``ground_truth`` in the zip or folder path, as the release names them.

The images are **IRRG false colour** (near-infrared, red, green as the three bands): they are
kept as they are, so the model's "red" channel is near-infrared; vegetation looks red.
Official split: 16 training areas and the 17 test areas of the benchmark (``val``), as in
mmseg's converter. Masks as for Potsdam: 0 = ignore, 1..6 = impervious surfaces, building,
low vegetation, tree, car, clutter (mmseg's ``ISPRSDataset``); clutter is excluded from the
metrics by the configs, as for Potsdam. The conversion is shared with Potsdam:
:mod:`mmslffm.dataset_converters.isprs_conversion`.
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
    ERODED_LABEL,
    LABEL,
    ISPRSRelease,
    convert_release,
    parse_release_arguments,
    release_argument_parser,
)

OFFICIAL_TRAIN_TILES = [
    f'area{n}'
    for n in (1, 3, 5, 7, 11, 13, 15, 17, 21, 23, 26, 28, 30, 32, 34, 37)
]
OFFICIAL_TEST_TILES = [
    f'area{n}'
    for n in (2, 4, 6, 8, 10, 12, 14, 16, 20, 22, 24, 27, 29, 31, 33, 35, 38)
]
FILE_PATTERN = re.compile(r'top_mosaic_09cm_(area\d+)(_noBoundary)?\.tif$')
IMAGE_KIND = 'IRRG'


def classify(source: str, name: str) -> Optional[Tuple[str, str]]:
    """(tile, kind): eroded label by its suffix, full label by ``ground_truth``
    in its zip/folder path (it shares the image's file name), else image."""
    match = FILE_PATTERN.search(osp.basename(name))
    if not match:
        return None
    if match.group(2):
        return match.group(1), ERODED_LABEL
    in_ground_truth = 'ground_truth' in osp.join(source, name).lower()
    return match.group(1), LABEL if in_ground_truth else IMAGE_KIND


def parse_args() -> argparse.Namespace:
    parser = release_argument_parser(
        __doc__.splitlines()[0],
        'data/vaihingen',
        OFFICIAL_TRAIN_TILES,
        OFFICIAL_TEST_TILES,
    )
    return parse_release_arguments(parser)


@exit_on_user_error
def main() -> None:
    args = parse_args()
    release = ISPRSRelease(
        name='Vaihingen',
        classify=classify,
        file_hint=(
            'top_mosaic_09cm_area<N>.tif images and the same names '
            'under a ground_truth zip or folder (official '
            'ISPRS_semantic_labeling_Vaihingen.zip / '
            'ISPRS_semantic_labeling_Vaihingen_ground_truth_COMPLETE'
            '.zip)'
        ),
    )
    skipped = convert_release(
        release,
        args.sources,
        args.out_dir,
        IMAGE_KIND,
        dict(train=args.train_tiles, val=args.val_tiles),
        args.crop_size,
        args.stride,
        args.val_crop_size,
    )
    if skipped:
        sys.exit(1)


if __name__ == '__main__':
    main()
