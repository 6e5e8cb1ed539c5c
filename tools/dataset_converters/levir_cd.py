"""Cut LEVIR-CD's 1024x1024 pairs into non-overlapping tiles (16 tiles of 256 per image).

    python tools/dataset_converters/levir_cd.py LEVIR_CD_ROOT OUT_DIR [--tile-size 256]
                                                [--splits train val test]

LEVIR_CD_ROOT is the unpacked release (https://justchenhao.github.io/LEVIR/):
<root>/<split>/{A,B,label}/<name>.png. OUT_DIR gets the same layout with tiles named
<name>_<x>_<y>.png (x, y: top-left pixel, 4 digits), the names BIT and the bundled demo tiles
use. Pixels are copied, never resampled; labels stay 0/255. A pair with a missing partner,
A/B/label of different sizes, or a file that does not decode whole (truncated, empty, corrupt,
decompression-bomb header) is reported with its path and skipped; the rest is converted.

Exit status: 0 = done, 1 = done but pairs were skipped, 2 = could not run (bad arguments, the
root or a split folder missing).
"""

import argparse
import os
import os.path as osp
import sys
from typing import Iterator, List, Tuple

import numpy as np
from mmengine.utils import ProgressBar
from PIL import Image

from mmslffm.utils.quiet_imports import import_datasets_quietly

# Before the imports below load mmdet/mmseg/mmrotate/mmpretrain: without the
# "Could not import OneDL" lines their dataset packages print on import.
import_datasets_quietly()

from mmslffm.apis.cli import exit_on_user_error
from mmslffm.datasets.image_io import UnreadableImageError, open_pil_image

FOLDERS = ('A', 'B', 'label')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('root', help='LEVIR-CD root: <split>/{A,B,label}')
    parser.add_argument('out_dir', help='where the tiles go')
    parser.add_argument('--tile-size', type=int, default=256)
    parser.add_argument(
        '--splits', nargs='+', default=['train', 'val', 'test']
    )
    args = parser.parse_args()
    if args.tile_size < 1:
        parser.error(f'--tile-size must be positive, got {args.tile_size}')
    return args


def tile_origins(
    width: int, height: int, tile: int
) -> Iterator[Tuple[int, int]]:
    """Top-left corners (x, y) of the full tiles, row by row."""
    for y in range(0, height - tile + 1, tile):
        for x in range(0, width - tile + 1, tile):
            yield x, y


def read_pair(paths: List[str]) -> List[np.ndarray]:
    """Decode the A, B and label files of one image whole, in their own modes.

    Raises:
        UnreadableImageError: naming the file that is missing, unreadable or
            of another size than its partners.
    """
    missing = [path for path in paths if not osp.isfile(path)]
    if missing:
        raise UnreadableImageError(
            f'missing {", ".join(missing)} (partner of {paths[0]})'
        )
    images = []
    for path in paths:
        image = open_pil_image(path)
        images.append(np.asarray(image))
        image.close()
    sizes = [image.shape[:2] for image in images]
    if len(set(sizes)) > 1:
        raise UnreadableImageError(
            'sizes differ: '
            + ', '.join(
                f'{path} {w}x{h}' for path, (h, w) in zip(paths, sizes)
            )
        )
    return images


def tile_pair(
    images: List[np.ndarray], stem: str, out_dirs: List[str], tile: int
) -> int:
    """Write the tiles of one decoded A/B/label triple; returns the tile count."""
    height, width = images[0].shape[:2]
    count = 0
    for x, y in tile_origins(width, height, tile):
        name = f'{stem}_{x:04d}_{y:04d}.png'
        for image, out_dir in zip(images, out_dirs):
            Image.fromarray(image[y : y + tile, x : x + tile]).save(
                osp.join(out_dir, name)
            )
        count += 1
    return count


def convert_split(
    root: str, out_root: str, split: str, tile: int
) -> Tuple[int, List[str]]:
    """Tile one split; returns (tiles written, problems)."""
    in_dirs = [osp.join(root, split, folder) for folder in FOLDERS]
    if not osp.isdir(in_dirs[0]):
        raise FileNotFoundError(
            f'{in_dirs[0]} not found: the LEVIR-CD root must hold '
            f'{split}/A, {split}/B and {split}/label (unzip {split}.zip '
            'there)'
        )
    out_dirs = [osp.join(out_root, split, folder) for folder in FOLDERS]
    for out_dir in out_dirs:
        os.makedirs(out_dir, exist_ok=True)
    names = sorted(
        name
        for name in os.listdir(in_dirs[0])
        if name.lower().endswith('.png')
    )
    tiles, problems = 0, []
    print(f'{split}: {len(names)} images -> {out_root}/{split}')
    progress = ProgressBar(len(names))
    for name in names:
        paths = [osp.join(in_dir, name) for in_dir in in_dirs]
        try:
            tiles += tile_pair(
                read_pair(paths), osp.splitext(name)[0], out_dirs, tile
            )
        except UnreadableImageError as err:
            problems.append(str(err))
        progress.update()
    print()
    return tiles, problems


@exit_on_user_error
def main() -> None:
    args = parse_args()
    if not osp.isdir(args.root):
        raise NotADirectoryError(
            f'{args.root} is not a folder (give the unpacked LEVIR-CD root)'
        )
    all_problems = []
    for split in args.splits:
        tiles, problems = convert_split(
            args.root, args.out_dir, split, args.tile_size
        )
        print(
            f'{split}: wrote {tiles} tiles of {args.tile_size}x'
            f'{args.tile_size}, skipped {len(problems)} images'
        )
        all_problems += problems
    for problem in all_problems:
        print(f'skipped: {problem}', file=sys.stderr)
    if all_problems:
        sys.exit(1)


if __name__ == '__main__':
    main()
