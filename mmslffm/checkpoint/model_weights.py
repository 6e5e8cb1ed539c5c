"""Loading a whole model's weights: every key must fit, or the load is refused.

mmengine's ``load_checkpoint`` and ``Runner.load_checkpoint`` load with ``strict=False``
and only log what did not fit, so a checkpoint of another model (or an empty one) evaluates
randomly initialised weights and prints metrics as if nothing happened. Here a missing,
unexpected or differently shaped key refuses the load in one line with the counts, unless
the caller allows a partial load (the tools' ``--allow-partial``), which logs the same
report as a warning.
"""

import logging
import re
from collections import OrderedDict
from typing import Any, Sequence, Tuple

import torch
from mmengine.logging import print_log
from torch import nn

from .loading import CheckpointMismatchError, LoadReport

MODULE_PREFIX = ((r'^module\.', ''),)


def state_dict_of(checkpoint: Any, source: str) -> 'OrderedDict[str, Any]':
    """The weights of an mmengine checkpoint (``state_dict``) or a bare state dict."""
    weights = (
        checkpoint.get('state_dict', checkpoint)
        if isinstance(checkpoint, dict)
        else None
    )
    if not isinstance(weights, dict) or not all(
        torch.is_tensor(value) for value in weights.values()
    ):
        raise CheckpointMismatchError(
            f'{source} holds no state dict of tensors (expected a file '
            'written by tools/train.py)'
        )
    return weights


def load_model_weights(
    model: nn.Module,
    checkpoint: Any,
    source: str,
    allow_partial: bool = False,
    revise_keys: Sequence[Tuple[str, str]] = MODULE_PREFIX,
) -> LoadReport:
    """Load ``checkpoint`` (a loaded checkpoint dict) into ``model``.

    Args:
        model: the whole model (detector, segmentor, SLFFM...).
        checkpoint: what :func:`load_checkpoint_file` returned.
        source: the file, for messages.
        allow_partial: load the keys that fit and warn, instead of refusing.
        revise_keys: (pattern, replacement) applied to every key, as
            mmengine's ``revise_keys`` (``module.`` of DDP stripped).

    Returns:
        The report (missing / unexpected / other-shape keys).

    Raises:
        CheckpointMismatchError: some key did not fit and ``allow_partial``
            is False. The keys that fit are loaded by then.
    """
    weights = state_dict_of(checkpoint, source)
    metadata = getattr(weights, '_metadata', None)
    expected = model.state_dict()
    report = LoadReport(source=source)
    loadable, mismatched = OrderedDict(), set()
    for key, value in weights.items():
        for pattern, replacement in revise_keys:
            key = re.sub(pattern, replacement, key)
        if key in expected and expected[key].shape != value.shape:
            mismatched.add(key)
            report.shape_mismatch.append(
                f'{key} {tuple(value.shape)} vs {tuple(expected[key].shape)}'
            )
        else:
            loadable[key] = value
    if metadata is not None:
        loadable._metadata = metadata  # module versions, as torch saves them
    result = model.load_state_dict(loadable, strict=False)
    report.missing = sorted(set(result.missing_keys) - mismatched)
    report.unexpected = sorted(result.unexpected_keys)
    report.matched = sorted(set(loadable) - set(result.unexpected_keys))
    report.matched_fraction = len(report.matched) / max(len(expected), 1)
    problems = report.missing or report.unexpected or report.shape_mismatch
    summary = _summary(report, len(expected))
    if problems and not allow_partial:
        raise CheckpointMismatchError(
            f'{summary}: it is not a checkpoint of this model (wrong config, '
            'arch or file?); pass --allow-partial to use the keys that fit'
        )
    print_log(
        summary,
        logger='current',
        level=logging.WARNING if problems else logging.INFO,
    )
    return report


def _summary(report: LoadReport, total: int) -> str:
    def examples(keys):
        return f' (e.g. {", ".join(keys[:2])})' if keys else ''

    return (
        f'{report.source}: {len(report.matched)} of {total} model keys '
        f'loaded, {len(report.missing)} missing'
        f'{examples(report.missing)}, {len(report.unexpected)} '
        f'unexpected{examples(report.unexpected)}, '
        f'{len(report.shape_mismatch)} of another shape'
        f'{examples(report.shape_mismatch)}'
    )
