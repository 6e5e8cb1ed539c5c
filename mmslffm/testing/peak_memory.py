"""Run a tool in a fresh interpreter and measure its peak resident memory.

``resource.getrusage(RUSAGE_CHILDREN)`` in the test process reports the largest child so far,
not the one just run, and a child's own ``ru_maxrss`` keeps the RSS of the process it was forked
from (Linux carries the high-water mark across ``exec``): inside a test suite grown to gigabytes
that hides what the tool itself used. Here the child reports ``VmHWM`` of ``/proc/self/status``,
the peak of its own address space, when it exits, however it exits.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Sequence, Tuple, Union

from .tools import REPO_ROOT

__all__ = ['run_tool_with_peak_memory']

# Runs the script as ``python SCRIPT ARGS`` would, then writes its VmHWM (KiB).
_WRAPPER = """
import runpy, sys
report, sys.argv = sys.argv[1], sys.argv[2:]
try:
    runpy.run_path(sys.argv[0], run_name='__main__')
finally:
    with open('/proc/self/status') as status:
        peak = next(line.split()[1] for line in status if line.startswith('VmHWM:'))
    with open(report, 'w') as f:
        f.write(peak)
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
