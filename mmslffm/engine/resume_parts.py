"""Checking what a resume takes from a checkpoint besides weights, before the run starts.

mmengine's ``Runner.resume`` trusts the parts it restores: ``meta.iter`` becomes the loop's
position unchecked (``-1000`` trains 1003 iterations more, ``1e9`` ends the run at once), the
message hub and scheduler states are copied in as they are (a damaged one fails at the first
log line or learning-rate step, mid-run) and ``meta.config`` is executed as a Python config
(to count GPUs). Each check here raises :class:`~mmslffm.checkpoint.CheckpointError` with a
message that starts with the part's name; :class:`~mmslffm.engine.SafeCheckpointRunner` adds
the file.
"""

from numbers import Real
from typing import Any, List

import numpy as np
from mmengine.logging import HistoryBuffer

from mmslffm.checkpoint import CheckpointError

# message hub runtime_info keys that mmengine's CheckpointHook reads back
PATH_INFOS = ('last_ckpt', 'best_ckpt')


def check_resume_meta(meta: Any, max_iters: int, max_epochs: Any) -> None:
    """``meta.iter`` / ``meta.epoch``: integers within the run's length.

    (Their type and sign are checked on every load, by
    :func:`~mmslffm.checkpoint.check_checkpoint_parts`.)
    """
    if not isinstance(meta, dict) or not {'iter', 'epoch'} <= set(meta):
        raise CheckpointError(
            'meta has no iter and epoch: it is not a checkpoint written by '
            'training (give it as load_from, not --resume)'
        )
    for key, limit in (('iter', max_iters), ('epoch', max_epochs)):
        if isinstance(limit, int) and meta[key] > limit:
            raise CheckpointError(
                f"meta.{key} is {meta[key]}, beyond this run's {limit} "
                f'(max_{key}s): nothing would be trained; resume from another '
                f'checkpoint, or raise train_cfg.max_{key}s'
            )


def _history_problem(buffer: Any) -> str:
    if not isinstance(buffer, HistoryBuffer):
        return ''  # mmengine skips it with a warning
    logs = getattr(buffer, '_log_history', None)
    counts = getattr(buffer, '_count_history', None)
    if not (
        isinstance(logs, np.ndarray)
        and isinstance(counts, np.ndarray)
        and logs.ndim == counts.ndim == 1
        and logs.shape == counts.shape
        and logs.dtype.kind in 'biuf'
        and counts.dtype.kind in 'biuf'
    ):
        return 'histories that are not two numeric arrays of one length'
    if not (
        isinstance(getattr(buffer, 'max_length', None), int)
        and buffer.max_length > 0
    ):
        return 'no positive max_length'
    try:
        for name in ('min', 'max', 'current', 'mean'):
            buffer.statistics(name)
    except Exception as error:  # any damage that breaks the logger
        return f'statistics that fail ({type(error).__name__})'
    return ''


def check_message_hub(state: Any) -> None:
    """The message hub's state: three dicts, usable history buffers, and the
    runtime entries mmengine's CheckpointHook reads back of their types."""
    parts = ('log_scalars', 'runtime_info', 'resumed_keys')
    if not isinstance(state, dict) or not all(
        isinstance(state.get(part), dict) for part in parts
    ):
        raise CheckpointError(
            'message_hub is not a dict of log_scalars, runtime_info and '
            'resumed_keys dicts'
        )
    for name, buffer in state['log_scalars'].items():
        problem = _history_problem(buffer)
        if problem:
            raise CheckpointError(
                f'message_hub.log_scalars[{name!r}] has {problem}'
            )
    for key, value in state['runtime_info'].items():
        expected = None
        if key in PATH_INFOS or str(key).startswith('best_ckpt'):
            expected, fits = 'a path', isinstance(value, str)
        elif str(key).startswith('best_score'):
            expected = 'a number'
            fits = isinstance(value, Real) and not isinstance(value, bool)
        elif key == 'keep_ckpt_ids':
            expected = 'a list of integers'
            fits = isinstance(value, (list, tuple)) and all(
                isinstance(i, int) for i in value
            )
        if expected and not fits:
            raise CheckpointError(
                f'message_hub.runtime_info[{key!r}] is a '
                f'{type(value).__name__}, not {expected}'
            )


def _kind(value: Any) -> Any:
    """What a scheduler state value must stay for the scheduler to work."""
    if isinstance(value, (bool, np.bool_)):
        return 'a bool'
    if isinstance(value, (Real, np.number)):
        return 'a number'
    if isinstance(value, (list, tuple)):
        return f'a list of {len(value)}'
    return 'None' if value is None else f'a {type(value).__name__}'


def _flatten(schedulers: Any, saved: Any) -> List[tuple]:
    """(name, scheduler, saved state) pairs; raises if the counts differ."""
    if isinstance(schedulers, dict):
        if not isinstance(saved, dict) or set(saved) != set(schedulers):
            raise CheckpointError(
                f'param_schedulers hold the schedulers of '
                f'{sorted(saved) if isinstance(saved, dict) else "no"} '
                f'optimizers, this run has {sorted(schedulers)}'
            )
        return [
            pair
            for name in schedulers
            for pair in _flatten_list(
                schedulers[name], saved[name], f'[{name!r}]'
            )
        ]
    return _flatten_list(schedulers, saved, '')


def _flatten_list(schedulers: list, saved: Any, where: str) -> List[tuple]:
    if not isinstance(saved, list) or len(saved) != len(schedulers):
        count = len(saved) if isinstance(saved, list) else 'no list of'
        raise CheckpointError(
            f'param_schedulers{where} hold {count} scheduler states, this '
            f'run has {len(schedulers)} schedulers (another config?)'
        )
    return [
        (f'param_schedulers{where}[{index}]', scheduler, state)
        for index, (scheduler, state) in enumerate(zip(schedulers, saved))
    ]


def check_param_schedulers(schedulers: Any, saved: Any) -> None:
    """Each saved scheduler state has the keys of the run's scheduler, each
    value of the same kind (number, bool, list of the same length...)."""
    for name, scheduler, state in _flatten(schedulers, saved):
        current = scheduler.state_dict()
        if not isinstance(state, dict) or set(state) != set(current):
            raise CheckpointError(
                f'{name} is not a state of {type(scheduler).__name__} '
                '(other keys)'
            )
        for key, value in current.items():
            if _kind(state[key]) != _kind(value):
                raise CheckpointError(
                    f'{name}.{key} is {_kind(state[key])}, the '
                    f'{type(scheduler).__name__} of this run holds '
                    f'{_kind(value)}'
                )
