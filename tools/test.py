"""Evaluate a checkpoint on a config's test split and print its metrics.

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out results.pkl]
                         [--show-dir DIR [--show-score-thr 0.3]]
                         [--cfg-options k=v ...] [--launcher pytorch|slurm]
                         [--allow-partial] [--unsafe-load] [--debug]

The checkpoint must fit the config's model key for key (else exit 2), unless
--allow-partial.
"""

import argparse
import os

from mmslffm.utils.quiet_imports import import_datasets_quietly

# Before the imports below load mmdet/mmseg/mmrotate/mmpretrain: without the
# "Could not import OneDL" lines their dataset packages print on import.
import_datasets_quietly()

from mmslffm.apis.cli import (
    add_checkpoint_arguments,
    add_runner_arguments,
    build_runner,
    exit_on_user_error,
    parse_runner_arguments,
)
from mmslffm.checkpoint import trusting_checkpoints
from mmslffm.utils import load_config
from mmslffm.utils.show_dir import enable_show_dir


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='also dump raw predictions (.pkl)')
    parser.add_argument(
        '--show-dir',
        help='draw every prediction into DIR (detection: boxes '
        'with class and score beside the ground truth; segmentation: '
        'palette overlays and a confusion matrix; change: TP/FP/FN maps)',
    )
    parser.add_argument(
        '--show-score-thr',
        type=float,
        default=0.3,
        help='detection: lowest score drawn (0.3)',
    )
    add_runner_arguments(parser)
    add_checkpoint_arguments(parser)
    return parse_runner_arguments(parser)


@exit_on_user_error
def main() -> None:
    args = parse_args()
    if not os.path.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {args.checkpoint}')
    cfg = load_config(args.config, args.cfg_options, args.work_dir)
    cfg.launcher = args.launcher
    cfg.load_from = args.checkpoint  # loaded strictly by our runner
    cfg.allow_partial_load = args.allow_partial or cfg.get(
        'allow_partial_load', False
    )
    if args.show_dir:
        enable_show_dir(cfg, args.show_dir, args.show_score_thr)
    if args.out:
        evaluators = cfg.test_evaluator
        if not isinstance(evaluators, list):
            evaluators = [evaluators]
        cfg.test_evaluator = [
            *evaluators,
            dict(type='DumpResults', out_file_path=args.out),
        ]
    with trusting_checkpoints(args.unsafe_load):
        build_runner(cfg).test()


if __name__ == '__main__':
    main()
