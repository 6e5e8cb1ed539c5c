"""Exact resume: the random number generators continue where the interrupted run stopped.

mmengine saves the model, optimizer, schedulers and data position, but not the RNG states, so a
resumed run draws other masks, crops and drop-path decisions than the run it continues. This
hook stores them in every checkpoint and restores them before the first resumed iteration:
numpy/python (used by data transforms) before the data is fetched, torch (masks, drop path)
just before the train step, after the data loader (which draws a torch seed) was rebuilt.
With ``num_workers=0`` the resumed loss sequence equals the uninterrupted one; worker processes
reseed themselves, so with workers it is equal in distribution only. One exception: a checkpoint
written at the last iteration of an epoch. The uninterrupted run then starts the next epoch's
data loader, which draws its seed from the torch generator before the next masks are drawn; the
resumed run started its loader before the states were restored, so from there on its draws
differ (in value, not in distribution).

In a multi-process run every rank draws its own masks, so the checkpoint (written by rank 0)
holds one state per rank, gathered after every iteration, and each rank resumes its own. A
checkpoint of another number of processes cannot continue the draws: the ranks then keep their
fresh seeds (distinct per rank), with a warning.
"""

import logging
import random
from typing import List, Optional

import numpy as np
import torch
from mmengine.dist import all_gather_object, get_dist_info
from mmengine.hooks import Hook
from mmengine.logging import print_log

from mmslffm.checkpoint import CheckpointError
from mmslffm.registry import HOOKS


def _numpy_state() -> dict:
    name, keys, pos, has_gauss, gauss = np.random.get_state()
    return dict(
        name=name,
        keys=torch.from_numpy(keys.astype(np.int64)),
        pos=pos,
        has_gauss=has_gauss,
        gauss=gauss,
    )


def _set_numpy_state(state: dict, generator=np.random) -> None:
    generator.set_state(
        (
            state['name'],
            state['keys'].numpy().astype(np.uint32),
            state['pos'],
            state['has_gauss'],
            state['gauss'],
        )
    )


def _set_python_state(state: dict, generator=random) -> None:
    generator.setstate(
        (state['version'], tuple(state['state'].tolist()), state['gauss'])
    )


def _check_random_states(states: list) -> None:
    """Raise :class:`CheckpointError` unless every state restores: each part
    is set on a scratch generator, whose own checks judge it."""
    for rank, state in enumerate(states):
        try:
            torch.Generator().set_state(state['torch'])
            _set_numpy_state(state['numpy'], np.random.RandomState())
            _set_python_state(state['python'], random.Random())
            if not all(torch.is_tensor(cuda) for cuda in state['cuda']):
                raise TypeError('CUDA states are not tensors')
        except (KeyError, TypeError, ValueError, RuntimeError) as error:
            raise CheckpointError(
                f'random_state of rank {rank} cannot be restored '
                f'({type(error).__name__}: {error}): the checkpoint is '
                'damaged; resume from another one'
            ) from None


def _random_state() -> dict:
    """This process's torch, CUDA, numpy and python generator states."""
    version, python_state, gauss = random.getstate()
    return dict(
        torch=torch.get_rng_state(),
        cuda=(
            torch.cuda.get_rng_state_all() if torch.cuda.is_available() else []
        ),
        numpy=_numpy_state(),
        python=dict(
            version=version, state=torch.tensor(python_state), gauss=gauss
        ),
    )


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Save RNG states in checkpoints; restore them when a run resumes.

    Checkpoints hold ``random_state``: a list with one state per rank
    (a single dict in checkpoints written before multi-process support).
    """

    # after the LOW hooks (kNN monitor, previews) and right before
    # CheckpointHook (VERY_LOW, 90): the states gathered after an iteration
    # are those the checkpoint written in the same stage must hold
    priority = 80

    def __init__(self) -> None:
        self._pending: Optional[dict] = None
        self._rank_states: Optional[List[dict]] = None

    def after_train_iter(
        self, runner, batch_idx: int, data_batch=None, outputs=None
    ) -> None:
        # a collective: every rank takes part, rank 0 alone saves
        if get_dist_info()[1] > 1:
            self._rank_states = all_gather_object(_random_state())

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        if get_dist_info()[1] > 1 and self._rank_states is not None:
            checkpoint['random_state'] = self._rank_states
        else:
            checkpoint['random_state'] = [_random_state()]

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        states = checkpoint.get('random_state')
        if states is None:
            return
        if isinstance(states, dict):
            states = [states]
        if not isinstance(states, list):
            raise CheckpointError(
                f'random_state is of type {type(states).__name__}, not a list of '
                'per-rank states: the checkpoint is damaged; resume from '
                'another one'
            )
        _check_random_states(states)
        rank, world_size = get_dist_info()
        if len(states) == world_size:
            self._pending = states[rank]
            return
        self._pending = None
        print_log(
            f'the checkpoint holds the random states of {len(states)} '
            f'process(es), this run has {world_size}: random draws (masks, '
            'crops) continue from fresh seeds, not from the interrupted run',
            logger='current',
            level=logging.WARNING,
        )

    def before_train_epoch(self, runner) -> None:
        if self._pending is None or runner.iter == 0:
            self._pending = None  # weights loaded for fine-tuning: no resume
            return
        _set_numpy_state(self._pending['numpy'])
        _set_python_state(self._pending['python'])

    def before_train_iter(
        self, runner, batch_idx: int, data_batch=None
    ) -> None:
        if self._pending is None:
            return
        torch.set_rng_state(self._pending['torch'])
        if self._pending['cuda'] and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(self._pending['cuda'])
        self._pending = None
