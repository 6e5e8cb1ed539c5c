"""Train any mmslffm task: pretraining, detection, segmentation, change detection.

python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp]
                             [--cfg-options k=v ...] [--launcher pytorch|slurm]
                             [--allow-partial] [--unsafe-load] [--debug]
"""

import argparse
import os

from mmslffm.utils.quiet_imports import import_datasets_quietly

# Before the imports below load mmdet/mmseg/mmrotate/mmpretrain: without the
# "Could not import OneDL" lines their dataset packages print on import.
import_datasets_quietly()

from mmengine.logging import print_log

from mmslffm.apis.cli import (
    add_checkpoint_arguments,
    add_runner_arguments,
    build_runner,
    exit_on_user_error,
    parse_runner_arguments,
)
from mmslffm.checkpoint import trusting_checkpoints
from mmslffm.engine.amp import enable_amp
from mmslffm.utils import load_config


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--resume',
        nargs='?',
        const='auto',
        help='resume from CKPT, or without a value from the last checkpoint '
        'in the work dir',
    )
    parser.add_argument(
        '--amp',
        action='store_true',
        help='automatic mixed precision: float16 with loss scaling on a GPU, '
        'bfloat16 on the CPU',
    )
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='skip validation during training',
    )
    add_runner_arguments(parser)
    add_checkpoint_arguments(parser)
    return parse_runner_arguments(parser)


@exit_on_user_error
def main() -> None:
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options, args.work_dir)
    cfg.launcher = args.launcher
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    if args.amp:
        print_log(enable_amp(cfg), logger='current')
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume is not None:
        if not os.path.isfile(args.resume):
            raise FileNotFoundError(
                f'--resume checkpoint not found: {args.resume}'
            )
        cfg.resume, cfg.load_from = True, args.resume
    cfg.allow_partial_load = args.allow_partial or cfg.get(
        'allow_partial_load', False
    )
    with trusting_checkpoints(args.unsafe_load):
        build_runner(cfg).train()


if __name__ == '__main__':
    main()
