"""Running a tool's ``main`` inside the test process: a user's command line without the
seconds each new interpreter spends importing the OpenMMLab stack."""

import contextlib
import io
import runpy
import sys
from dataclasses import dataclass
from typing import Iterator, List

from mmengine.utils import ManagerMixin

from .tools import REPO_ROOT as REPO


@dataclass
class ToolRun:
    returncode: int
    stdout: str
    stderr: str


def run_in_process(args: List[str], monkeypatch) -> ToolRun:
    """``python tools/X.py ARGS`` from the repo root, as :func:`run_tool` does.

    Output goes to buffers that stay open (loggers created by the run keep
    writing to them), not to pytest's per-test capture. The named instances
    the run creates (logger, scope, message hub, visualizer) are dropped after
    it: a second run in the same second gets the same timestamped name and
    would otherwise reuse a logger still writing to the first run's buffers.
    """
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(sys, 'argv', list(args))
    out, err = io.StringIO(), io.StringIO()
    with (
        _drop_instances_created_inside(),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            runpy.run_path(str(REPO / args[0]), run_name='__main__')
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return ToolRun(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _drop_instances_created_inside() -> Iterator[None]:
    """Forget the mmengine named instances created inside the block."""
    before = {cls: set(cls._instance_dict) for cls in _managers()}
    try:
        yield
    finally:
        for cls in _managers():
            for name in set(cls._instance_dict) - before.get(cls, set()):
                del cls._instance_dict[name]


def _managers() -> List[type]:
    """Every class with its own named instances (``ManagerMixin`` subclasses:
    each keeps a separate ``_instance_dict``)."""
    found, pending = [], [ManagerMixin]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return [cls for cls in found if '_instance_dict' in vars(cls)]
