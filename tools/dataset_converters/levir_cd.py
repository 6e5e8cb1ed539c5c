"""Cut LEVIR-CD's 1024x1024 pairs into non-overlapping tiles (16 tiles of 256 per image).

    python tools/dataset_converters/levir_cd.py LEVIR_CD_ROOT OUT_DIR [--tile-size 256]
                                                [--splits train val test]

LEVIR_CD_ROOT is the unpacked release (https://justchenhao.github.io/LEVIR/):
<root>/<split>/{A,B,label}/<name>.png. OUT_DIR gets the same layout with tiles named
<name>_<x>_<y>.png (x, y: top-left pixel, 4 digits), the names BIT and the bundled demo tiles
use. Pixels are copied, never resampled; labels stay 0/255. A pair with a missing partner or
A/B/label of different sizes is reported and skipped; the exit status is 1 if any was.
"""
import argparse
import os
import os.path as osp
import sys
from typing import Iterator, List, Optional, Tuple

import numpy as np
from mmengine.utils import ProgressBar
from PIL import Image

FOLDERS = ('A', 'B', 'label')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('root', help='LEVIR-CD root: <split>/{A,B,label}')
    parser.add_argument('out_dir', help='where the tiles go')
    parser.add_argument('--tile-size', type=int, default=256)
    parser.add_argument('--splits', nargs='+', default=['train', 'val', 'test'])
    return parser.parse_args()


def tile_origins(width: int, height: int,
                 tile: int) -> Iterator[Tuple[int, int]]:
    """Top-left corners (x, y) of the full tiles, row by row."""
    for y in range(0, height - tile + 1, tile):
        for x in range(0, width - tile + 1, tile):
            yield x, y


def pair_problem(paths: List[str]) -> Optional[str]:
    """Why the A/B/label files of one image cannot be tiled, or None."""
    missing = [path for path in paths if not osp.isfile(path)]
    if missing:
        return f'missing {", ".join(missing)} (partner of {paths[0]})'
    sizes = [Image.open(path).size for path in paths]
    if len(set(sizes)) > 1:
        return 'sizes differ: ' + ', '.join(
            f'{path} {w}x{h}' for path, (w, h) in zip(paths, sizes))
    return None


def tile_pair(paths: List[str], out_dirs: List[str], tile: int) -> int:
    """Write the tiles of one A/B/label triple; returns the tile count."""
    images = [np.asarray(Image.open(path)) for path in paths]
    height, width = images[0].shape[:2]
    stem = osp.splitext(osp.basename(paths[0]))[0]
    count = 0
    for x, y in tile_origins(width, height, tile):
        name = f'{stem}_{x:04d}_{y:04d}.png'
        for image, out_dir in zip(images, out_dirs):
            Image.fromarray(image[y:y + tile, x:x + tile]).save(
                osp.join(out_dir, name))
        count += 1
    return count


def convert_split(root: str, out_root: str, split: str,
                  tile: int) -> Tuple[int, List[str]]:
    """Tile one split; returns (tiles written, problems)."""
    in_dirs = [osp.join(root, split, folder) for folder in FOLDERS]
    if not osp.isdir(in_dirs[0]):
        raise FileNotFoundError(
            f'{in_dirs[0]} not found: the LEVIR-CD root must hold '
            f'{split}/A, {split}/B and {split}/label (unzip {split}.zip '
            'there)')
    out_dirs = [osp.join(out_root, split, folder) for folder in FOLDERS]
    for out_dir in out_dirs:
        os.makedirs(out_dir, exist_ok=True)
    names = sorted(name for name in os.listdir(in_dirs[0])
                   if name.lower().endswith('.png'))
    tiles, problems = 0, []
    print(f'{split}: {len(names)} images -> {out_root}/{split}')
    progress = ProgressBar(len(names))
    for name in names:
        paths = [osp.join(in_dir, name) for in_dir in in_dirs]
        problem = pair_problem(paths)
        if problem is None:
            tiles += tile_pair(paths, out_dirs, tile)
        else:
            problems.append(problem)
        progress.update()
    print()
    return tiles, problems


def main() -> int:
    args = parse_args()
    if not osp.isdir(args.root):
        sys.exit(f'levir_cd.py: error: {args.root} is not a folder (give '
                 'the unpacked LEVIR-CD root)')
    all_problems = []
    for split in args.splits:
        try:
            tiles, problems = convert_split(args.root, args.out_dir, split,
                                            args.tile_size)
        except FileNotFoundError as error:
            sys.exit(f'levir_cd.py: error: {error}')
        print(f'{split}: wrote {tiles} tiles of {args.tile_size}x'
              f'{args.tile_size}, skipped {len(problems)} images')
        all_problems += problems
    for problem in all_problems:
        print(f'skipped: {problem}', file=sys.stderr)
    return 1 if all_problems else 0


if __name__ == '__main__':
    sys.exit(main())
