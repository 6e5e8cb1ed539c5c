"""Import the OpenMMLab dataset packages without their "Could not import OneDL" lines, and
without notices about CUDA-only ops on a machine without CUDA.

The onedl-* releases of mmdet, mmseg, mmrotate and mmpretrain probe an optional OneDL dataset
backend when their ``datasets`` (and ``datasets.transforms``) packages are imported and report
the expected failure with ``print_log(..., level=DEBUG)`` but no logger, which mmengine turns
into a plain ``print``: up to six lines on every command (mmdet's and mmrotate's evaluation
packages import their datasets too). Importing them once, with those lines filtered from
stdout, leaves them cached for every later import (mmengine's registry locations included).
Anything else they print goes through. ``mmpretrain.models`` is imported with them (every model
build imports it anyway), so that mmdet's lane-detection head, which it imports when it can,
gives its notice that "Line NMS is not compiled" while :func:`silence_cuda_only_notices` filters
mmengine's logger.

Called where a process starts, never on import of a package of ours: first thing in every
``tools/`` script (before it imports mmslffm), and in :func:`mmslffm.utils.load_config` and
:func:`mmslffm.apis.infer_large_scene` for Python callers.
"""

import contextlib
import importlib
import importlib.util
import io
import sys

from .cuda_only_notices import silence_cuda_only_notices

ONEDL_PROBE_PREFIX = 'Could not import OneDL'
DATASET_PACKAGES = (
    'mmdet.datasets',
    'mmseg.datasets',
    'mmrotate.datasets',
    'mmpretrain.datasets',
    'mmpretrain.models',
)


def import_datasets_quietly() -> None:
    """Import the installed OpenMMLab ``datasets`` packages, dropping the OneDL probe lines
    (and, without CUDA, the notices of :mod:`mmslffm.utils.cuda_only_notices`)."""
    silence_cuda_only_notices()
    pending = [
        name
        for name in DATASET_PACKAGES
        if name not in sys.modules
        and importlib.util.find_spec(name.split('.')[0]) is not None
    ]
    if not pending:
        return
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        for name in pending:
            importlib.import_module(name)
    for line in captured.getvalue().splitlines(keepends=True):
        if not line.startswith(ONEDL_PROBE_PREFIX):
            sys.stdout.write(line)
