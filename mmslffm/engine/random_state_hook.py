"""Exact resume: the random number generators continue where the interrupted run stopped.

mmengine saves the model, optimizer, schedulers and data position, but not the RNG states, so a
resumed run draws other masks, crops and drop-path decisions than the run it continues. This
hook stores them in every checkpoint and restores them before the first resumed iteration:
numpy/python (used by data transforms) before the data is fetched, torch (masks, drop path)
just before the train step, after the data loader (which draws a torch seed) was rebuilt.
With ``num_workers=0`` the resumed loss sequence equals the uninterrupted one; worker processes
reseed themselves, so with workers it is equal in distribution only.
"""

import random
from typing import Optional

import numpy as np
import torch
from mmengine.hooks import Hook

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


def _set_numpy_state(state: dict) -> None:
    np.random.set_state(
        (
            state['name'],
            state['keys'].numpy().astype(np.uint32),
            state['pos'],
            state['has_gauss'],
            state['gauss'],
        )
    )


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Save RNG states in checkpoints; restore them when a run resumes."""

    priority = 'VERY_LOW'

    def __init__(self) -> None:
        self._pending: Optional[dict] = None

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        version, python_state, gauss = random.getstate()
        checkpoint['random_state'] = dict(
            torch=torch.get_rng_state(),
            cuda=(
                torch.cuda.get_rng_state_all()
                if torch.cuda.is_available()
                else []
            ),
            numpy=_numpy_state(),
            python=dict(
                version=version, state=torch.tensor(python_state), gauss=gauss
            ),
        )

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        self._pending = checkpoint.get('random_state')

    def before_train_epoch(self, runner) -> None:
        if self._pending is None or runner.iter == 0:
            self._pending = None  # weights loaded for fine-tuning: no resume
            return
        _set_numpy_state(self._pending['numpy'])
        python = self._pending['python']
        random.setstate(
            (
                python['version'],
                tuple(python['state'].tolist()),
                python['gauss'],
            )
        )

    def before_train_iter(
        self, runner, batch_idx: int, data_batch=None
    ) -> None:
        if self._pending is None:
            return
        torch.set_rng_state(self._pending['torch'])
        if self._pending['cuda'] and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(self._pending['cuda'])
        self._pending = None
