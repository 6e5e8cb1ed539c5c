"""Run a tool in a fresh interpreter and measure its peak resident memory.

``resource.getrusage(RUSAGE_CHILDREN)`` in the test process reports the largest child so far,
not the one just run; here the child reports its own peak (``RUSAGE_SELF``) when it exits,
however it exits.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Sequence, Tuple, Union

from .tools import REPO_ROOT

__all__ = ['run_tool_with_peak_memory']

# Runs the script as ``python SCRIPT ARGS`` would, then writes ru_maxrss (KiB).
_WRAPPER = """
import resource, runpy, sys
report, sys.argv = sys.argv[1], sys.argv[2:]
try:
    runpy.run_path(sys.argv[0], run_name='__main__')
finally:
    with open(report, 'w') as f:
        f.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def run_tool_with_peak_memory(
    args: Sequence[Union[str, Path]],
    cwd: Union[str, Path] = REPO_ROOT,
    timeout: int = 900,
) -> Tuple[subprocess.CompletedProcess, float]:
    """``python ARGS`` from ``cwd`` (not checked); and its peak RSS in MiB."""
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), PYTHONUNBUFFERED='1')
    with tempfile.TemporaryDirectory() as folder:
        report = os.path.join(folder, 'maxrss')
        proc = subprocess.run(
            [sys.executable, '-c', _WRAPPER, report, *map(str, args)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        with open(report) as f:
            peak_mib = int(f.read()) / 1024
    return proc, peak_mib
