"""What the command-line tools share: runner options, and user errors as one line."""
import argparse
import functools
import os
import sys
from typing import Callable

from mmengine.config import Config, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from mmslffm.checkpoint import CheckpointMismatchError
from .distributed import prepare_cpu_distributed

# Errors caused by what the user passed (paths, config values, checkpoints).
USER_ERRORS = (FileNotFoundError, NotADirectoryError, ValueError, KeyError,
               CheckpointMismatchError)


def exit_on_user_error(main: Callable[[], None]) -> Callable[[], None]:
    """Run ``main``; a user error prints ``<tool>: error: <message>`` and exits 2.

    Set ``MMSLFFM_TRACEBACK=1`` to see the full traceback instead.
    """

    @functools.wraps(main)
    def wrapper() -> None:
        try:
            main()
        except USER_ERRORS as err:
            if os.environ.get('MMSLFFM_TRACEBACK'):
                raise
            message = str(err).strip().strip('"').splitlines()
            tool = os.path.basename(sys.argv[0])
            print(f'{tool}: error: {type(err).__name__}: '
                  f"{' '.join(line.strip() for line in message)}",
                  file=sys.stderr)
            sys.exit(2)

    return wrapper


def add_runner_arguments(parser: argparse.ArgumentParser) -> None:
    """The options train.py and test.py share, as in every OpenMMLab tool."""
    parser.add_argument('--work-dir', help='where logs and results go')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config values, e.g. '
                        'train_cfg.max_iters=10')
    parser.add_argument('--launcher', default='none',
                        choices=['none', 'pytorch', 'slurm', 'mpi'])
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def parse_runner_arguments(
        parser: argparse.ArgumentParser) -> argparse.Namespace:
    """Parse, and export LOCAL_RANK as torch.distributed launchers expect."""
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def build_runner(cfg: Config) -> Runner:
    """mmengine's Runner, or the config's ``runner_type`` if it names one."""
    prepare_cpu_distributed(cfg)
    return RUNNERS.build(cfg) if 'runner_type' in cfg else Runner.from_cfg(
        cfg)
