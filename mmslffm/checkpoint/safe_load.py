"""Reading checkpoint files without running code hidden in them.

A ``.pth`` file is a pickle, and unpickling calls whatever functions the file names: a
checkpoint downloaded from a file host can run shell commands. mmengine loads with
``torch.load(weights_only=True)`` but retries with ``weights_only=False`` whenever that
refuses a file, which runs any payload. Here every checkpoint is read with
``weights_only=True`` and an allow-list of exactly what mmengine's and mmslffm's checkpoints
hold besides tensors and plain containers, found by saving real checkpoints with the Runner:

* numpy arrays, dtypes and scalars (mmengine's message hub, dataset metainfo, metrics);
* mmengine's :class:`~mmengine.logging.HistoryBuffer` (the message hub's logged scalars) and
  its statistics functions, which pickle protocol 2 writes as ``getattr(HistoryBuffer,
  'mean')``: only that ``getattr`` is allowed, never the builtin (through which a file could
  reach and overwrite any object, e.g. the ``builtins`` dict).

A file needing anything else is refused, naming the file and the global. The refusal is
never retried unsafely; :func:`trusting_checkpoints` (the tools' ``--unsafe-load``) allows
the globals one file names, for a user's own legacy files, and logs each of them.

Before unpickling, :func:`~mmslffm.checkpoint.declared_sizes.check_declared_sizes` bounds
what the file may make us allocate; after it,
:func:`~mmslffm.checkpoint.validation.check_checkpoint_parts` checks the parts every use
relies on (finite dense weights, ``meta``, ``_metadata``). Remote files come through
:func:`~mmslffm.checkpoint.downloads.download_checkpoint`.

:func:`mmengine_loads_safely` routes mmengine's :class:`~mmengine.runner.CheckpointLoader`
through :func:`load_checkpoint_file` for as long as a tool runs, so that mmengine's own
``Pretrained`` initialisers and runners cannot take the unsafe path either.
"""

import contextlib
import importlib
import logging
import os.path as osp
import pickle
import re
from contextvars import ContextVar
from typing import Any, Callable, Iterator, List, Tuple, Union

import numpy as np
import torch
from mmengine.logging import HistoryBuffer, print_log
from mmengine.runner import CheckpointLoader

from .declared_sizes import (
    DAMAGED_FIX,
    ArchiveError,
    DeclaredSizeError,
    check_declared_sizes,
)
from .downloads import download_checkpoint
from .errors import CheckpointError, UnsafeCheckpointError
from .validation import check_checkpoint_parts

REMOTE_PREFIXES = ('http://', 'https://')
UNSAFE_FIX = (
    'if you made this file yourself, rerun with --unsafe-load; '
    'otherwise do not use it'
)

_trusted: ContextVar[bool] = ContextVar(
    'mmslffm_trusted_checkpoints', default=False
)


# HistoryBuffer's built-in statistics: its pickled state maps each name to the method.
HISTORY_BUFFER_STATISTICS = ('min', 'max', 'current', 'mean')


def _history_buffer_attribute(owner: Any, name: str) -> Callable:
    """``getattr`` limited to HistoryBuffer's statistics (pickle protocol 2 form)."""
    if owner is HistoryBuffer and name in HISTORY_BUFFER_STATISTICS:
        return getattr(owner, name)
    raise pickle.UnpicklingError(
        f'Unsupported global: GLOBAL builtins.getattr on {owner!r}.{name}'
    )


def checkpoint_safe_globals() -> List[Union[Callable, Tuple[Any, str]]]:
    """The globals, besides torch's own, that a checkpoint may name."""
    multiarray = np._core.multiarray
    dtype_classes = [
        type(np.dtype(name))
        for name in (
            'bool',
            'int8',
            'int16',
            'int32',
            'int64',
            'uint8',
            'uint16',
            'uint32',
            'uint64',
            'float16',
            'float32',
            'float64',
            'U',
            'O',
        )
    ]
    allowed: List[Union[Callable, Tuple[Any, str]]] = [
        np.ndarray,
        np.dtype,
        *dtype_classes,
        multiarray._reconstruct,
        multiarray.scalar,
        HistoryBuffer,
        (_history_buffer_attribute, 'builtins.getattr'),
    ]
    # files written with numpy < 2 name numpy.core instead of numpy._core
    allowed += [
        (multiarray._reconstruct, 'numpy.core.multiarray._reconstruct'),
        (multiarray.scalar, 'numpy.core.multiarray.scalar'),
    ]
    return allowed


@contextlib.contextmanager
def trusting_checkpoints(enabled: bool = True) -> Iterator[None]:
    """Let :func:`load_checkpoint_file` allow the globals a file names.

    Only for a user's own files (``--unsafe-load``): unpickling such a file
    can run any code it names. Each allowed global is logged as a warning.
    """
    token = _trusted.set(enabled)
    try:
        yield
    finally:
        _trusted.reset(token)


def load_checkpoint_file(filename: str, map_location: Any = 'cpu') -> Any:
    """``torch.load(weights_only=True)`` with the allow-list; one-line errors.

    Args:
        filename: a local path, or an http(s) URL (downloaded once to torch's
            hub cache, checked against its ``#sha256=`` fragment if it has
            one, then read the same way).
        map_location: as :func:`torch.load`.

    Raises:
        FileNotFoundError: no such file.
        UnsafeCheckpointError: the file names a global outside the allow-list
            (and :func:`trusting_checkpoints` is not in effect).
        CheckpointError: unreadable (truncated, not a checkpoint, no access),
            declaring more than it holds, or with an unusable part.
    """
    path = (
        download_checkpoint(filename)
        if filename.startswith(REMOTE_PREFIXES)
        else osp.expanduser(filename)
    )
    if not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint not found: {filename}')
    _check_declared_sizes(path, filename)
    checkpoint = _load_weights_only(path, filename, map_location)
    check_checkpoint_parts(checkpoint, filename)
    return checkpoint


def _check_declared_sizes(path: str, filename: str) -> None:
    """One-line refusals for :func:`check_declared_sizes`; a non-zip file is
    read (unchecked) only when trusted."""
    try:
        check_declared_sizes(path)
    except DeclaredSizeError as error:
        raise CheckpointError(
            f'{filename}: refused: {error}: {DAMAGED_FIX}'
        ) from None
    except ArchiveError as error:
        if error.legacy and _trusted.get():
            return
        fix = (
            ' (a file of PyTorch < 1.6 that you made yourself: rerun with '
            '--unsafe-load, or re-save it with a current PyTorch)'
            if error.legacy
            else ''
        )
        raise CheckpointError(
            f'{filename} is not a readable PyTorch checkpoint ({error}); it '
            'may be truncated or not a checkpoint at all: download or save '
            f'it again{fix}'
        ) from None
    except PermissionError as error:
        raise CheckpointError(_unreadable(filename, error)) from None


def _load_weights_only(path: str, filename: str, map_location: Any) -> Any:
    """``torch.load(weights_only=True)``; with trust, growing the allow-list."""
    extra: List[Tuple[Any, str]] = []
    while True:
        try:
            with torch.serialization.safe_globals(_allowed(extra)):
                return torch.load(path, map_location, weights_only=True)
        except pickle.UnpicklingError as err:
            refused = _refused_global(err)
            if refused is None:
                raise CheckpointError(_unreadable(filename, err)) from None
            if not _trusted.get():
                raise UnsafeCheckpointError(
                    f'{filename}: refused: unpickling it would call '
                    f'{refused}, which a checkpoint of weights does not need '
                    f'and which can run code; {UNSAFE_FIX}'
                ) from None
            if '.' not in refused and ' ' not in refused:
                refused = f'builtins.{refused}'  # torch names builtins bare
            if ' ' in refused or refused in (name for _, name in extra):
                raise CheckpointError(
                    f'{filename}: even with --unsafe-load it cannot be read '
                    f'({refused}); re-save its state_dict with the code that '
                    'wrote it'
                ) from None
            extra.append((_import_global(refused, filename), refused))
            print_log(
                f'--unsafe-load: {filename}: allowing {refused}',
                logger='current',
                level=logging.WARNING,
            )
        except Exception as err:  # garbage makes the unpickler fail anyhow
            raise CheckpointError(_unreadable(filename, err)) from None


def _allowed(extra: List[Tuple[Any, str]]) -> list:
    """The allow-list, with the globals a trusted file named replacing ours."""
    names = {name for _, name in extra}
    return [
        entry
        for entry in checkpoint_safe_globals()
        if not (isinstance(entry, tuple) and entry[1] in names)
    ] + extra


def _refused_global(err: Exception) -> Union[str, None]:
    """The global (``module.name``) a weights-only load refused, if that was why.

    Anything else the restricted unpickler refuses (building an instance of a
    type it cannot name, calling a non-allowed function) is named too.
    """
    message = str(err)
    match = re.search(r'GLOBAL (\S+?)[ ,]', message)
    if match:
        return match.group(1)
    match = re.search(
        r'(Can only build [^\n]*|Can only create new object '
        r'[^\n]*|Trying to call reduce [^\n]*)',
        message,
    )
    return match.group(1).rstrip('.') if match else None


def _unreadable(filename: str, err: Exception) -> str:
    lines = str(err).strip().splitlines()
    reason = (
        f'{type(err).__name__}: {lines[0]}' if lines else type(err).__name__
    )
    if isinstance(err, PermissionError):
        return (
            f'{filename}: cannot read it ({err.strerror}): check its '
            'permissions'
        )
    return (
        f'{filename} is not a readable PyTorch checkpoint ({reason}); '
        'it may be truncated or not a checkpoint at all: download or '
        'save it again'
    )


def _import_global(name: str, filename: str) -> Any:
    """The object ``module.attr.attr`` names; importing runs that module."""
    parts = name.split('.')
    for split in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module('.'.join(parts[:split]))
        except ImportError:
            continue
        try:
            for attr in parts[split:]:
                obj = getattr(obj, attr)
        except AttributeError:
            break
        return obj
    raise CheckpointError(
        f'{filename} needs {name}, which cannot be imported here: install '
        'the package that defines it'
    )


def _load_from_weights_only(filename: str, map_location: Any = None) -> Any:
    """CheckpointLoader's form of :func:`load_checkpoint_file` (logged by name)."""
    return load_checkpoint_file(filename, map_location)


def _load_from_refused_scheme(filename: str, map_location: Any = None) -> None:
    raise CheckpointError(
        f'{filename}: this kind of location is not read here (its loader '
        'loads unsafely): download the file and give its local path'
    )


@contextlib.contextmanager
def mmengine_loads_safely() -> Iterator[None]:
    """Route every mmengine checkpoint load through :func:`load_checkpoint_file`.

    While inside, :class:`~mmengine.runner.CheckpointLoader` (behind
    ``Runner.load_checkpoint``, ``init_cfg=dict(type='Pretrained')`` and
    ``load_checkpoint``) reads local paths and http(s) URLs safely and refuses
    the other schemes (``open-mmlab://``, ``torchvision://``, ``s3://``...),
    whose loaders would fall back to unsafe loading. The previous loaders
    are restored on exit: entered by the tools' entry points only, so that
    importing mmslffm changes nothing in mmengine.
    """
    previous = dict(CheckpointLoader._schemes)  # mmengine has no getter
    for prefix in previous:
        loader = (
            _load_from_weights_only
            if prefix in ('', *REMOTE_PREFIXES)
            else _load_from_refused_scheme
        )
        CheckpointLoader.register_scheme(prefix, loader, force=True)
    try:
        yield
    finally:
        for prefix, loader in previous.items():
            CheckpointLoader.register_scheme(prefix, loader, force=True)
