"""What the command-line tools share: runner options, checkpoint trust, user errors as one line."""

import argparse
import functools
import os
import sys
from typing import Callable

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from mmslffm.checkpoint import (
    CheckpointError,
    allowing_nonfinite_weights,
    mmengine_loads_safely,
)
from mmslffm.engine.safe_checkpoint_runner import SafeCheckpointRunner
from mmslffm.registry import RUNNERS
from mmslffm.utils.distributed import prepare_cpu_distributed
from mmslffm.utils.errors import ConfigError

# --vis-backend choices: mmengine's visualizer backends.
VIS_BACKENDS = {
    'local': 'LocalVisBackend',
    'tensorboard': 'TensorboardVisBackend',
}

NONFINITE_FLAG = '--allow-nonfinite-weights'
NONFINITE_ENV = 'MMSLFFM_ALLOW_NONFINITE_WEIGHTS'

# Errors caused by what the user passed (paths, permissions, config values,
# checkpoints).
USER_ERRORS = (OSError, ValueError, KeyError, CheckpointError, ConfigError)


def exit_on_user_error(main: Callable[[], None]) -> Callable[[], None]:
    """Run a tool's ``main``: user errors print one line and exit 2.

    The line is ``<tool>: error: <type>: <message>``; ``--debug`` (or the
    environment variable ``MMSLFFM_TRACEBACK=1``) shows the traceback
    instead. While ``main`` runs, mmengine's checkpoint loading goes through
    mmslffm's weights-only loader (:func:`mmengine_loads_safely`), which
    refuses NaN / inf weights unless ``--allow-nonfinite-weights`` (or
    ``MMSLFFM_ALLOW_NONFINITE_WEIGHTS=1``) is given.
    """

    @functools.wraps(main)
    def wrapper() -> None:
        nonfinite = NONFINITE_FLAG in sys.argv[1:] or bool(
            os.environ.get(NONFINITE_ENV)
        )
        try:
            with (
                mmengine_loads_safely(),
                allowing_nonfinite_weights(nonfinite),
            ):
                main()
        except USER_ERRORS as err:
            if '--debug' in sys.argv[1:] or os.environ.get(
                'MMSLFFM_TRACEBACK'
            ):
                raise
            message = str(err).strip().strip('"').splitlines()
            tool = os.path.basename(sys.argv[0])
            print(
                f'{tool}: error: {type(err).__name__}: '
                f'{" ".join(line.strip() for line in message)}',
                file=sys.stderr,
            )
            sys.exit(2)

    return wrapper


def add_debug_argument(parser: argparse.ArgumentParser) -> None:
    """``--debug``: a full traceback instead of the one-line error."""
    parser.add_argument(
        '--debug',
        action='store_true',
        help='show the full traceback of an error (as MMSLFFM_TRACEBACK=1)',
    )


def add_checkpoint_arguments(
    parser: argparse.ArgumentParser, allow_partial: bool = True
) -> None:
    """``--unsafe-load``, ``--allow-nonfinite-weights`` and, for full-model
    loads, ``--allow-partial``."""
    parser.add_argument(
        '--unsafe-load',
        action='store_true',
        help='trust the checkpoint files: allow the Python objects they name '
        '(this can run code from the file; only for your own legacy files)',
    )
    parser.add_argument(
        NONFINITE_FLAG,
        action='store_true',
        help='load checkpoints whose tensors hold NaN or inf (refused by '
        f'default: a diverged run wrote them); as {NONFINITE_ENV}=1',
    )
    if allow_partial:
        parser.add_argument(
            '--allow-partial',
            action='store_true',
            help='load a checkpoint whose keys do not all fit the model '
            '(only the fitting ones load; the rest keep their init)',
        )


def add_runner_arguments(parser: argparse.ArgumentParser) -> None:
    """The options train.py and test.py share, as in every OpenMMLab tool."""
    parser.add_argument('--work-dir', help='where logs and results go')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config values, e.g. train_cfg.max_iters=10',
    )
    parser.add_argument(
        '--launcher',
        default='none',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
    )
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    add_debug_argument(parser)
    parser.add_argument(
        '--vis-backend',
        nargs='+',
        choices=sorted(VIS_BACKENDS),
        help='where scalars and pictures go: local (JSON and PNG under '
        'work_dir/<time>/vis_data), tensorboard (event files there); '
        'e.g. --vis-backend local tensorboard',
    )


def parse_runner_arguments(
    parser: argparse.ArgumentParser,
) -> argparse.Namespace:
    """Parse, and export LOCAL_RANK as torch.distributed launchers expect."""
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    if args.vis_backend:  # shorthand for --cfg-options visualizer...
        args.cfg_options = dict(args.cfg_options or {})
        args.cfg_options['visualizer.vis_backends'] = [
            dict(type=VIS_BACKENDS[name]) for name in args.vis_backend
        ]
    return args


def build_runner(cfg: Config) -> Runner:
    """The config's ``runner_type``, else :class:`SafeCheckpointRunner`
    (a gloo group and CPU model wrapper first for CPU multi-process runs)."""
    prepare_cpu_distributed(cfg)
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return SafeCheckpointRunner.from_cfg(cfg)
