"""Shared test helpers: the repo root and a runner for the command-line tools."""
import os
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

REPO = Path(__file__).resolve().parents[1]
DEMO_DATA = REPO / 'demo' / 'data'


def run_tool(args: List[str], cwd: Path, check: bool = True,
             timeout: int = 900) -> subprocess.CompletedProcess:
    """Run ``python tools/<args>`` as a user would, from ``cwd``."""
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED='1')
    proc = subprocess.run([sys.executable, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f'{args} exited {proc.returncode}\n'
                             f'{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}')
    return proc


@pytest.fixture
def tool():
    return run_tool
