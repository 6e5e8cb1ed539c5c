"""Run the repository's command-line tools as a user would, for end-to-end tests."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Sequence, Union

__all__ = ['REPO_ROOT', 'DEMO_DATA', 'run_tool', 'tool_output']

# The source checkout this package was imported from (tests run from one).
REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_DATA = REPO_ROOT / 'demo' / 'data'


def run_tool(
    args: Sequence[Union[str, Path]],
    cwd: Union[str, Path] = REPO_ROOT,
    check: bool = True,
    timeout: int = 900,
) -> subprocess.CompletedProcess:
    """Run ``python ARGS`` from ``cwd`` with the repository importable.

    Args:
        args: the script and its arguments, e.g. ``['tools/train.py', CFG]``.
        cwd: working directory (relative script paths resolve from it).
        check: raise ``AssertionError`` with the end of both streams when
            the exit status is not 0.
        timeout: seconds before the run is killed.

    Returns:
        The finished process, ``stdout`` and ``stderr`` as text.
    """
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), PYTHONUNBUFFERED='1')
    args = [str(arg) for arg in args]
    proc = subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f'{args} exited {proc.returncode}\n'
            f'{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}'
        )
    return proc


def tool_output(
    args: Sequence[Union[str, Path]],
    cwd: Union[str, Path] = REPO_ROOT,
    timeout: int = 900,
) -> str:
    """:func:`run_tool` (checked); its stdout and stderr as one text."""
    proc = run_tool(args, cwd=cwd, timeout=timeout)
    return proc.stdout + proc.stderr
