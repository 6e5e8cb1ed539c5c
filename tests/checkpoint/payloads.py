"""Hostile and legacy checkpoint files for the tests: pickles that run code when loaded."""

import argparse
import builtins
import os
from pathlib import Path

import torch


class ShellPayload:
    """Unpickling calls ``os.system('touch <marker>')``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return os.system, (f'touch {self.marker}',)


class WritePayload:
    """Unpickling calls ``exec`` of an open-and-write."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return builtins.exec, (f'open({str(self.marker)!r}, "w").write("x")',)


def hostile_checkpoint(
    path: Path, marker: Path, payload=ShellPayload, state_dict=None
) -> Path:
    """An mmengine-looking checkpoint whose ``meta`` runs the payload."""
    torch.save(
        dict(
            meta=dict(note=payload(marker), epoch=1, iter=1),
            state_dict=state_dict or {},
        ),
        path,
    )
    assert not marker.exists()
    return path


def legacy_checkpoint(path: Path, state_dict: dict) -> Path:
    """A training script's own file with its ``argparse.Namespace`` (as timm saves)."""
    torch.save(
        dict(
            state_dict=state_dict, args=argparse.Namespace(lr=0.1, arch='test')
        ),
        path,
    )
    return path
