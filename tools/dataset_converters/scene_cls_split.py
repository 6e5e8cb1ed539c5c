"""Write seeded per-class train/test lists of a folder-per-class scene dataset (UCM, AID, NWPU).

    python tools/dataset_converters/scene_cls_split.py ROOT OUT_DIR --train-fraction 0.8 [--seed 0]
    python tools/dataset_converters/scene_cls_split.py ROOT OUT_DIR --train-per-class 48

ROOT is the released layout, ROOT/<class>/<image> (UC Merced: UCMerced_LandUse/Images; AID:
AID/; NWPU-RESISC45: NWPU-RESISC45/). Standard protocols: UCM --train-fraction 0.8, AID 0.2 or
0.5, NWPU 0.1 or 0.2, each repeated over seeds. OUT_DIR gets train.txt and test.txt
(``<class>/<image> <label>`` per line, what mmpretrain's CustomDataset reads with
``data_prefix=ROOT``) and classes.txt (label i on line i).
"""

import argparse
from collections import Counter

from mmslffm.utils.quiet_imports import import_datasets_quietly

# Before the imports below load mmdet/mmseg/mmrotate/mmpretrain: without the
# "Could not import OneDL" lines their dataset packages print on import.
import_datasets_quietly()

from mmslffm.apis.cli import exit_on_user_error
from mmslffm.datasets.scene_split import (
    scan_class_folders,
    split_per_class,
    write_split_lists,
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('root', help='folder of class folders')
    parser.add_argument('out_dir', help='where train.txt, test.txt go')
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument(
        '--train-fraction',
        type=float,
        help='share of each class for training (UCM 0.8)',
    )
    size.add_argument(
        '--train-per-class', type=int, help='images of each class for training'
    )
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


@exit_on_user_error
def main() -> None:
    args = parse_args()
    samples = scan_class_folders(args.root)
    train, test = split_per_class(
        samples.labels, args.train_fraction, args.seed, args.train_per_class
    )
    written = write_split_lists(
        samples, args.out_dir, dict(train=train, test=test)
    )
    per_class = Counter(samples.labels[i] for i in train)
    print(
        f'{len(samples.classes)} classes, {len(samples.files)} images: '
        f'{len(train)} train ({min(per_class.values())}-'
        f'{max(per_class.values())} per class), {len(test)} test '
        f'(seed {args.seed}) -> {", ".join(written.values())}'
    )


if __name__ == '__main__':
    main()
