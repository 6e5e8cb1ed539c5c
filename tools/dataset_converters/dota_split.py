"""Cut DOTA scenes and labelTxt into patches for training and testing.

    python tools/dataset_converters/dota_split.py --img-dir data/DOTA/train/images \\
        --ann-dir data/DOTA/train/labelTxt --out-dir data/split_ss_dota/train \\
        [--patch-size 1024] [--gap 200] [--rates 1.0 [0.5 1.5]] [--keep-empty]

Writes ``OUT/images/<image>__<rate>__<x>___<y>.png`` and ``OUT/annfiles/<same>.txt`` (no
``--ann-dir``: images only, every patch, for the unlabelled test split). Resumable: scenes
finished are listed in ``OUT/split_done.txt`` and skipped when the command is run again; a
scene that could not be cut (truncated, empty, bomb-sized, undecodable image) is not listed,
so a re-downloaded copy is split by the next run.
Bad input (short label lines, unknown classes, NaN/inf, absurd or degenerate coordinates,
labels without image, undecodable images) is appended to ``OUT/split_problems.log`` as it is
met, with its file and line; the rest is processed.

Exit status: 0 = done, 1 = done but something was skipped (see the log), 2 = could not run
(bad arguments, missing input folder).
"""

import argparse
import functools
import multiprocessing
import os
import os.path as osp
import sys
import time
from typing import Dict, List, Optional, Set, TextIO, Tuple

from mmengine.utils import ProgressBar
from PIL import Image

from mmslffm.utils.quiet_imports import import_datasets_quietly

# Before the imports below load mmdet/mmseg/mmrotate/mmpretrain: without the
# "Could not import OneDL" lines their dataset packages print on import.
import_datasets_quietly()

from mmslffm.apis.cli import exit_on_user_error
from mmslffm.dataset_converters.dota_split import (
    SplitReport,
    SplitSettings,
    find_scene_images,
    split_scene,
)
from mmslffm.datasets.dota_labels import DOTA_CLASSES

DONE_LIST = 'split_done.txt'
PROBLEM_LOG = 'split_problems.log'


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--img-dir', required=True, help='scene images')
    parser.add_argument('--ann-dir', help='labelTxt folder (omit for test)')
    parser.add_argument('--out-dir', required=True, help='output folder')
    parser.add_argument('--patch-size', type=int, default=1024)
    parser.add_argument(
        '--gap',
        type=int,
        default=200,
        help='overlap of neighbouring patches in pixels',
    )
    parser.add_argument(
        '--rates',
        type=float,
        nargs='+',
        default=[1.0],
        help='image scale rates (multi-scale: 0.5 1.0 1.5)',
    )
    parser.add_argument(
        '--iof-thr',
        type=float,
        default=0.7,
        help='keep an object in a patch when this share of '
        'its area lies inside',
    )
    parser.add_argument(
        '--keep-empty',
        action='store_true',
        help='also write patches without objects',
    )
    parser.add_argument('--ext', default='.png', help='patch image format')
    parser.add_argument(
        '--classes',
        nargs='+',
        default=list(DOTA_CLASSES),
        help='accepted class names (default: DOTA-v1.0)',
    )
    parser.add_argument(
        '--nproc', type=int, default=1, help='scenes split in parallel'
    )
    parser.add_argument(
        '--max-pixels',
        type=int,
        default=2**30,
        help='scenes whose header claims more pixels are '
        'skipped as corrupt or decompression bombs '
        '(default 2^30, e.g. 32768 x 32768)',
    )
    return parser.parse_args()


def match_labels(
    images: List[str], ann_dir: Optional[str], problems: List[str]
) -> Dict[str, Optional[str]]:
    """Scene image -> its label file (None for a test split); mismatches reported."""
    if ann_dir is None:
        return {image: None for image in images}
    if not osp.isdir(ann_dir):
        raise NotADirectoryError(f'--ann-dir not found: {ann_dir}')
    labels = {
        osp.splitext(name)[0]: osp.join(ann_dir, name)
        for name in os.listdir(ann_dir)
        if name.endswith('.txt')
    }
    image_ids = {osp.splitext(osp.basename(image))[0] for image in images}
    for label_id in sorted(set(labels) - image_ids):
        problems.append(
            f'{labels[label_id]}: no image {label_id}.* in the '
            'image folder; labels skipped'
        )
    pairs = {}
    for image in images:
        label = labels.get(osp.splitext(osp.basename(image))[0])
        if label is None:
            problems.append(
                f'{image}: no label file in {ann_dir}; scene '
                'skipped (omit --ann-dir to split unlabelled '
                'images)'
            )
            continue
        pairs[image] = label
    return pairs


def read_done(out_dir: str) -> Set[str]:
    path = osp.join(out_dir, DONE_LIST)
    if not osp.isfile(path):
        return set()
    with open(path) as handle:
        return {line.strip() for line in handle if line.strip()}


def _split_pair(
    pair: Tuple[str, Optional[str]],
    classes: List[str],
    out_images: str,
    out_labels: Optional[str],
    settings: SplitSettings,
) -> Tuple[str, SplitReport]:
    """Split one scene; any failure becomes an unfinished report naming it."""
    image, label = pair
    try:
        return image, split_scene(
            image, label, classes, out_images, out_labels, settings
        )
    except Exception as err:  # one scene never stops the split
        return image, SplitReport(
            problems=[
                f'{image}: {type(err).__name__}: {err}; scene not '
                'finished, rerun to retry'
            ],
            finished=False,
        )


def log_problems(log: TextIO, problems: List[str]) -> None:
    """Append problems to the log as they come (flushed per line) and echo them."""
    for problem in problems:
        log.write(problem + '\n')
        log.flush()
        print(f'warning: {problem}', file=sys.stderr)


@exit_on_user_error
def main() -> None:
    args = parse_args()
    settings = SplitSettings(
        args.patch_size,
        args.gap,
        tuple(args.rates),
        args.iof_thr,
        args.keep_empty,
        extension=args.ext,
        max_pixels=args.max_pixels,
    )
    # The size limit is --max-pixels, checked on each header before decoding.
    Image.MAX_IMAGE_PIXELS = None
    out_images = osp.join(args.out_dir, 'images')
    out_labels = osp.join(args.out_dir, 'annfiles') if args.ann_dir else None
    for folder in filter(None, (out_images, out_labels)):
        os.makedirs(folder, exist_ok=True)

    images = find_scene_images(args.img_dir)
    log_path = osp.join(args.out_dir, PROBLEM_LOG)
    total = SplitReport()
    with open(log_path, 'a') as log:
        log.write(
            f'# {time.strftime("%Y-%m-%d %H:%M:%S")} {" ".join(sys.argv)}\n'
        )
        scenes = match_labels(images, args.ann_dir, total.problems)
        log_problems(log, total.problems)
        done = read_done(args.out_dir)
        todo = {
            image: label
            for image, label in scenes.items()
            if osp.basename(image) not in done
        }
        print(
            f'{len(scenes)} scenes, {len(scenes) - len(todo)} already '
            f'split, {len(todo)} to do'
        )
        split_one = functools.partial(
            _split_pair,
            classes=args.classes,
            out_images=out_images,
            out_labels=out_labels,
            settings=settings,
        )
        progress = ProgressBar(len(todo))
        with (
            open(osp.join(args.out_dir, DONE_LIST), 'a') as done_file,
            multiprocessing.Pool(max(1, args.nproc)) as pool,
        ):
            for image, report in pool.imap_unordered(split_one, todo.items()):
                total.patches += report.patches
                total.objects += report.objects
                total.problems.extend(report.problems)
                log_problems(log, report.problems)
                if report.finished:
                    done_file.write(osp.basename(image) + '\n')
                    done_file.flush()
                progress.update()
    print(
        f'\nwrote {total.patches} patches with {total.objects} objects to '
        f'{args.out_dir}'
    )
    if total.problems:
        print(
            f'{len(total.problems)} problems, listed in {log_path}',
            file=sys.stderr,
        )
        sys.exit(1)


if __name__ == '__main__':
    main()
