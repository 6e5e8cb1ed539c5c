"""How the command-line tools report a user's mistake: one line, no traceback."""
import functools
import os
import sys
from typing import Callable

from mmslffm.checkpoint import CheckpointMismatchError

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
