"""Running a tool's ``main`` inside the test process: a user's command line without the
seconds each new interpreter spends importing the OpenMMLab stack."""

import contextlib
import io
import runpy
import sys
from dataclasses import dataclass
from typing import List

from .tools import REPO_ROOT as REPO


@dataclass
class ToolRun:
    returncode: int
    stdout: str
    stderr: str


def run_in_process(args: List[str], monkeypatch) -> ToolRun:
    """``python tools/X.py ARGS`` from the repo root, as :func:`run_tool` does.

    Output goes to buffers that stay open (loggers created by the run keep
    writing to them), not to pytest's per-test capture.
    """
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(sys, 'argv', list(args))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            runpy.run_path(str(REPO / args[0]), run_name='__main__')
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return ToolRun(code, out.getvalue(), err.getvalue())
