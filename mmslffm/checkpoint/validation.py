"""Checking the parts of a loaded checkpoint that every use of it relies on.

torch's weights-only load gives back whatever the file holds; mmengine and torch then use the
parts as if they were what they write, and fail far away (a ``meta`` that is a list, a
``_metadata`` with text versions, a sparse or meta-device weight) or, worse, not at all: NaN
weights evaluate to plausible metrics. :func:`check_checkpoint_parts` checks, before any use:

* every tensor is dense and holds data (not sparse, quantized or on the meta device);
* every floating-point tensor is finite, unless non-finite weights are allowed
  (:func:`allowing_nonfinite_weights`, the tools' ``--allow-nonfinite-weights``);
* a state dict's ``_metadata`` maps module names to ``{'version': int}``;
* ``meta`` is a dict, its ``epoch`` / ``iter`` non-negative integers and its ``dataset_meta``
  a dict with ``classes`` as names and ``palette`` as RGB triples.
"""

import contextlib
from contextvars import ContextVar
from typing import Any, Iterator, Optional, Tuple

import numpy as np
import torch

from .errors import CheckpointError

NONFINITE_FIX = (
    'a run that diverged wrote it: use an earlier checkpoint, or pass '
    '--allow-nonfinite-weights to load it anyway'
)
DAMAGED_FIX = 'the checkpoint is damaged; use another one'

_nonfinite_allowed: ContextVar[bool] = ContextVar(
    'mmslffm_nonfinite_weights_allowed', default=False
)


@contextlib.contextmanager
def allowing_nonfinite_weights(enabled: bool = True) -> Iterator[None]:
    """Let checkpoints with NaN / inf tensors load (``--allow-nonfinite-weights``)."""
    token = _nonfinite_allowed.set(enabled)
    try:
        yield
    finally:
        _nonfinite_allowed.reset(token)


def _tensors(root: Any) -> Iterator[Tuple[str, Any]]:
    """(dotted path, object) of everything in nested dicts / lists, each once,
    depth first, without recursion."""
    seen, stack = set(), [('', root)]
    while stack:
        path, obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        yield path, obj
        if isinstance(obj, dict):
            children = list(obj.items())
        elif isinstance(obj, (list, tuple)):
            children = list(enumerate(obj))
        else:
            continue
        stack += [
            (f'{path}.{key}' if path else str(key), value)
            for key, value in reversed(children)
        ]


def _tensor_problem(tensor: torch.Tensor) -> Optional[str]:
    if tensor.layout != torch.strided:
        return f'a {str(tensor.layout).replace("torch.", "")} tensor'
    if tensor.is_meta:
        return 'a tensor on the meta device (shape only, no values)'
    if tensor.is_quantized:
        return 'a quantized tensor'
    return None


def _all_finite(tensor: torch.Tensor) -> bool:
    """True if no element is NaN or inf (a finite sum says so at a fraction
    of the cost of ``isfinite``: NaN and inf propagate through it); False
    means "check element-wise" (the sum may also have overflowed)."""
    if not (tensor.is_floating_point() or tensor.is_complex()):
        return True
    return bool(torch.isfinite(tensor.sum()))


def _check_tensors(checkpoint: Any, source: str) -> None:
    check_finite = not _nonfinite_allowed.get()
    for path, obj in _tensors(checkpoint):
        if not torch.is_tensor(obj):
            continue
        problem = _tensor_problem(obj)
        if problem:
            raise CheckpointError(
                f'{source}: {path!r} is {problem}; checkpoints of weights '
                f'hold dense tensors: {DAMAGED_FIX}'
            )
        if check_finite and not _all_finite(obj):
            finite = torch.isfinite(obj)
            if not bool(finite.all()):
                bad = obj[~finite]
                kinds = ' and '.join(
                    kind
                    for kind, count in (
                        ('NaN', int(torch.isnan(bad).sum())),
                        ('inf', int(torch.isinf(bad).sum())),
                    )
                    if count
                )
                raise CheckpointError(
                    f'{source}: {path!r} holds {kinds} ({bad.numel()} of '
                    f'{obj.numel()} values): {NONFINITE_FIX}'
                )


def _check_metadata(checkpoint: Any, source: str) -> None:
    for path, obj in _tensors(checkpoint):
        metadata = getattr(obj, '_metadata', None)
        if not isinstance(obj, dict) or metadata is None:
            continue
        if not isinstance(metadata, dict) or not all(
            isinstance(name, str)
            and isinstance(entry, dict)
            and _is_int(entry.get('version', 0))
            for name, entry in metadata.items()
        ):
            where = f'{path}._metadata' if path else '_metadata'
            raise CheckpointError(
                f'{source}: {where!r} (module versions) is not a dict of '
                f'{{"version": int}} per module: {DAMAGED_FIX}'
            )


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(
        value, (bool, np.bool_)
    )


def _check_meta(checkpoint: Any, source: str) -> None:
    if not isinstance(checkpoint, dict) or 'meta' not in checkpoint:
        return
    meta = checkpoint['meta']
    if not isinstance(meta, dict):
        raise CheckpointError(
            f"{source}: 'meta' is a {type(meta).__name__}, not a dict: "
            f'{DAMAGED_FIX}'
        )
    for key in ('epoch', 'iter'):
        if key in meta and not (_is_int(meta[key]) and meta[key] >= 0):
            raise CheckpointError(
                f"{source}: 'meta.{key}' is {meta[key]!r}, not a "
                f'non-negative integer: {DAMAGED_FIX}'
            )
    dataset_meta = meta.get('dataset_meta')
    if dataset_meta is None:
        return
    problem = None
    if not isinstance(dataset_meta, dict):
        problem = f'is a {type(dataset_meta).__name__}, not a dict'
    elif not _names(dataset_meta.get('classes', ())):
        problem = 'has classes that are not a list of names'
    elif not _colours(dataset_meta.get('palette', ())):
        problem = 'has a palette that is not a list of RGB triples (0-255)'
    if problem:
        raise CheckpointError(
            f"{source}: 'meta.dataset_meta' {problem}: {DAMAGED_FIX}"
        )


def _names(classes: Any) -> bool:
    return isinstance(classes, (list, tuple)) and all(
        isinstance(name, str) for name in classes
    )


def _colours(palette: Any) -> bool:
    if isinstance(palette, np.ndarray):
        palette = palette.tolist()
    return isinstance(palette, (list, tuple)) and all(
        isinstance(colour, (list, tuple))
        and len(colour) == 3
        and all(_is_int(c) and 0 <= c <= 255 for c in colour)
        for colour in palette
    )


def check_checkpoint_parts(checkpoint: Any, source: str) -> None:
    """Raise :class:`CheckpointError` (one line naming ``source`` and the
    part) unless every part listed in the module docstring is usable."""
    _check_meta(checkpoint, source)
    _check_metadata(checkpoint, source)
    _check_tensors(checkpoint, source)
