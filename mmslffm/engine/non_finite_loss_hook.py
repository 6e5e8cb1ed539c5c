"""Stopping a training run whose loss is no longer finite.

mmengine has no such hook and trains on with NaN weights (writing them to every later
checkpoint); mmdet's ``CheckInvalidLossHook`` checks every 50th iteration by default, by an
``assert`` (a traceback, and nothing with ``python -O``), and is mmdet's only. Here every
iteration's losses are checked, and the weights of every checkpoint before it is written (a
finite loss can still take a step to inf weights), so every checkpoint written is finite and
the run stops with one line (:class:`TrainingDivergedError`, a ``ValueError`` that the tools
print as their one-line error).
"""

import math
from typing import Any, Optional

import torch
from mmengine.hooks import Hook

from mmslffm.registry import HOOKS


class TrainingDivergedError(ValueError):
    """The training loss or the weights became NaN or infinite."""


RESUME_FIX = (
    'training diverged; lower the learning rate (optim_wrapper.optimizer.lr) '
    'or check the data, and resume from the last checkpoint (its weights are '
    'finite)'
)


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Raise :class:`TrainingDivergedError` at the first non-finite loss, or
    before saving non-finite weights.

    Args:
        interval: check every ``interval`` iterations (1: every one; the
            values are read anyway by the logger).
    """

    priority = 'NORMAL'  # before CheckpointHook (VERY_LOW)

    def __init__(self, interval: int = 1) -> None:
        if not (isinstance(interval, int) and interval > 0):
            raise ValueError(
                f'NonFiniteLossHook interval={interval!r}: give a positive '
                'integer'
            )
        self.interval = interval

    def after_train_iter(
        self,
        runner,
        batch_idx: int,
        data_batch: Any = None,
        outputs: Optional[dict] = None,
    ) -> None:
        if not outputs or not self.every_n_train_iters(runner, self.interval):
            return
        values = {
            name: float(value.detach() if torch.is_tensor(value) else value)
            for name, value in outputs.items()
            if 'loss' in name and getattr(value, 'numel', lambda: 1)() == 1
        }
        bad = {name: v for name, v in values.items() if not math.isfinite(v)}
        if bad:
            shown = ', '.join(f'{name}={v}' for name, v in bad.items())
            raise TrainingDivergedError(
                f'iteration {runner.iter + 1}: the training loss is not '
                f'finite ({shown}): {RESUME_FIX}'
            )

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        step = checkpoint.get('meta', {}).get('iter', runner.iter)
        for name, value in checkpoint.get('state_dict', {}).items():
            if (
                torch.is_tensor(value)
                and value.is_floating_point()
                and not bool(torch.isfinite(value).all())
            ):
                raise TrainingDivergedError(
                    f'iteration {step}: weight {name!r} is no longer '
                    f'finite, its checkpoint is not written: {RESUME_FIX}'
                )
