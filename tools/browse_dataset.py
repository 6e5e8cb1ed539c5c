"""Write augmented training samples of a config as PNGs, to see what the model is fed.

    python tools/browse_dataset.py CONFIG [--out DIR] [-n 8] [--split val_dataloader]
        [--cfg-options k=v ...]

Detection: rotated boxes with class names; segmentation: palette masks over the image;
change detection: A | B | change mask; pretraining: the crops.
"""

import argparse
import os.path as osp

from mmengine.config import DictAction

from mmslffm.utils.quiet_imports import import_datasets_quietly

# Before the imports below load mmdet/mmseg/mmrotate/mmpretrain: without the
# "Could not import OneDL" lines their dataset packages print on import.
import_datasets_quietly()

from mmslffm.apis.browse import browse_dataset
from mmslffm.apis.cli import exit_on_user_error
from mmslffm.utils import load_config


@exit_on_user_error
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument(
        '--out',
        help='output folder (default: work_dirs/<config name>/browse_dataset)',
    )
    parser.add_argument('-n', '--num-samples', type=int, default=8)
    parser.add_argument(
        '--split',
        default='train_dataloader',
        choices=['train_dataloader', 'val_dataloader', 'test_dataloader'],
    )
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config values',
    )
    args = parser.parse_args()
    cfg = load_config(args.config, args.cfg_options)
    out = args.out or osp.join(cfg.work_dir, 'browse_dataset')
    written = browse_dataset(cfg, out, args.num_samples, args.split)
    print(f'{len(written)} samples of {args.split} written to {out}')


if __name__ == '__main__':
    main()
