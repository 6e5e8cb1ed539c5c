"""mmengine's Runner with checkpoints treated as untrusted input and written to survive kills.

What it changes (mmengine has no option for any of it):

* ``load_from`` and resume read through :func:`~mmslffm.checkpoint.load_checkpoint_file`
  (weights only, never the unsafe fallback) and load strictly: a key that does not fit is a
  one-line refusal unless the config sets ``allow_partial_load=True`` (the tools'
  ``--allow-partial``);
* ``resume=True`` without a file resumes from ``last_checkpoint`` if it names a complete
  checkpoint, else (empty, garbage, missing or truncated target) from the newest complete
  ``epoch_N.pth`` / ``iter_N.pth`` with a warning, and refuses in one line when there is none
  (mmengine silently trains from scratch);
* every checkpoint is written to ``<name>.part`` and renamed when complete, so a kill leaves
  either the previous file or the new one, never a truncated one;
* a resumed optimizer state must fit the optimizer (groups, parameters per group, moments of
  their parameter's shape): torch checks only the groups, and a damaged moment otherwise
  fails as a traceback at the first step; so must the position (``meta.iter`` / ``epoch``
  within the run), the message hub and the scheduler states
  (:mod:`~mmslffm.engine.resume_parts`);
* a resumed ``meta.config`` is dropped: mmengine executes it as a Python config.

A subclass rather than a process-wide patch of mmengine: configs select it with
``runner_type`` (our runtime bases do) and ``tools/*.py`` build it when a config names no
runner. :class:`~mmslffm.engine.SafeCheckpointHook` defers deleting old checkpoints.
"""

import glob
import os
import os.path as osp
import re
import zipfile
from typing import Any, Callable, Optional, Sequence, Tuple, Union

import torch
from mmengine.dist import master_only
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper
from mmengine.optim.scheduler.param_scheduler import _ParamScheduler
from mmengine.runner import EpochBasedTrainLoop, Runner

from mmslffm.checkpoint import (
    CheckpointError,
    load_checkpoint_file,
    load_model_weights,
)
from mmslffm.registry import RUNNERS
from .resume_parts import (
    check_message_hub,
    check_param_schedulers,
    check_resume_meta,
)

CHECKPOINT_NAME = re.compile(r'^(epoch|iter)_\d+\.pth$')
PARTIAL_SUFFIX = '.part'
# per-parameter state of Adam, AdamW, LAMB and SGD, shaped like the parameter
ELEMENTWISE_STATES = (
    'exp_avg',
    'exp_avg_sq',
    'max_exp_avg_sq',
    'momentum_buffer',
)


def check_optimizer_state(
    optimizer: torch.optim.Optimizer, saved: Any
) -> None:
    """Raise :class:`CheckpointError` unless ``saved`` (an optimizer state
    dict) fits ``optimizer``: same groups, same parameter count per group,
    state values that are tensors or numbers (or SGD's None momentum
    buffer), elementwise moments
    (:data:`ELEMENTWISE_STATES`) of their parameter's shape."""
    if not (
        isinstance(saved, dict)
        and isinstance(saved.get('state'), dict)
        and isinstance(saved.get('param_groups'), list)
        and all(
            isinstance(group, dict) and isinstance(group.get('params'), list)
            for group in saved['param_groups']
        )
    ):
        raise CheckpointError('optimizer state is not an optimizer state dict')
    groups = optimizer.param_groups
    saved_sizes = [len(group['params']) for group in saved['param_groups']]
    sizes = [len(group['params']) for group in groups]
    if saved_sizes != sizes:
        raise CheckpointError(
            f'optimizer state has parameter groups of {saved_sizes} '
            f'parameters, the optimizer {sizes}'
        )
    params = {
        key: param
        for saved_group, group in zip(saved['param_groups'], groups)
        for key, param in zip(saved_group['params'], group['params'])
    }
    for key, state in saved['state'].items():
        param = params.get(key)
        if param is None or not isinstance(state, dict):
            raise CheckpointError(f'optimizer state {key!r} has no parameter')
        for name, value in state.items():
            if value is None and name == 'momentum_buffer':
                continue  # SGD without momentum keeps None
            if not isinstance(value, (torch.Tensor, int, float)):
                raise CheckpointError(
                    f'optimizer state {name!r} is a {type(value).__name__}'
                )
            if name in ELEMENTWISE_STATES and (
                not isinstance(value, torch.Tensor)
                or value.shape != param.shape
            ):
                shape = tuple(getattr(value, 'shape', ()))
                raise CheckpointError(
                    f'optimizer state {name!r} of shape {shape} for a '
                    f'parameter of shape {tuple(param.shape)}'
                )


def is_complete_checkpoint(path: str) -> bool:
    """Whether ``path`` is a whole ``torch.save`` file.

    torch writes a zip archive whose central directory comes last, so a
    file cut short by a kill has none.
    """
    return osp.isfile(path) and zipfile.is_zipfile(path)


def find_resumable_checkpoint(work_dir: str) -> Tuple[Optional[str], str]:
    """The checkpoint to resume from, and why it was chosen.

    ``last_checkpoint`` (what mmengine's CheckpointHook writes) when it names
    a complete file; else the newest complete ``epoch_N.pth`` / ``iter_N.pth``
    in ``work_dir``; else None.

    Returns:
        (path or None, '' or a warning explaining the fallback).
    """
    record = osp.join(work_dir, 'last_checkpoint')
    problem = ''
    if osp.isfile(record):
        with open(record, errors='replace') as file:
            named = file.read().strip()
        if named and '\n' not in named and is_complete_checkpoint(named):
            return named, ''
        problem = (
            f'{record} is empty'
            if not named
            else f'{record} names {named[:200]!r}, which is not a complete '
            'checkpoint'
        )
    candidates = [
        path
        for path in glob.glob(osp.join(work_dir, '*.pth'))
        if CHECKPOINT_NAME.match(osp.basename(path))
        and is_complete_checkpoint(path)
    ]
    if not candidates:
        return None, problem
    newest = max(candidates, key=lambda path: (osp.getmtime(path), path))
    if problem:
        problem += f': resuming from the newest complete one, {newest}'
    return newest, problem


def _built(schedulers: Any) -> bool:
    """Whether ``schedulers`` are built (a list, or a dict of lists, of
    schedulers), as in :meth:`Runner.train`, not their configs."""
    groups = (
        schedulers.values() if isinstance(schedulers, dict) else [schedulers]
    )
    return bool(schedulers) and all(
        isinstance(group, list)
        and all(isinstance(scheduler, _ParamScheduler) for scheduler in group)
        for group in groups
    )


@RUNNERS.register_module()
class SafeCheckpointRunner(Runner):
    """Runner whose checkpoint loads are weights-only and strict, saves atomic."""

    @property
    def allow_partial_load(self) -> bool:
        """Config ``allow_partial_load``: load only the fitting keys."""
        return bool(self.cfg.get('allow_partial_load', False))

    def load_or_resume(self) -> None:
        """As mmengine's, but an automatic resume never silently starts over."""
        if self._has_loaded or not (self._resume and self._load_from is None):
            return super().load_or_resume()
        checkpoint, warning = find_resumable_checkpoint(self.work_dir)
        if warning:
            self.logger.warning(warning)
        if checkpoint is None:
            raise CheckpointError(
                f'--resume: nothing to resume in {self.work_dir} (no '
                'last_checkpoint and no complete epoch_N.pth / iter_N.pth): '
                'drop --resume to train from scratch, or give the checkpoint '
                'with --resume PATH'
            )
        self.logger.info(f'Auto resumed from {checkpoint}.')
        self.resume(checkpoint)

    def load_checkpoint(
        self,
        filename: str,
        map_location: Union[str, Callable] = 'cpu',
        strict: Optional[bool] = None,
        revise_keys: Sequence[Tuple[str, str]] = ((r'^module\.', ''),),
    ) -> Any:
        """Read ``filename`` weights-only and load it into the model.

        Args:
            strict: refuse keys that do not fit; None (what ``load_from``
                and resume use) means ``not allow_partial_load``.
        """
        checkpoint = load_checkpoint_file(filename, map_location=map_location)
        try:
            self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        except CheckpointError as error:  # a hook found a part it cannot use
            raise CheckpointError(f'{filename}: {error}') from None
        if self._resume:
            try:
                self._check_resume_parts(checkpoint)
            except CheckpointError as error:
                raise CheckpointError(
                    f'{filename}: {error}: the checkpoint is damaged or of '
                    'another model or optimizer; resume from another one'
                ) from None
            checkpoint['meta'].pop('config', None)  # mmengine would exec it
        model = (
            self.model.module if is_model_wrapper(self.model) else self.model
        )
        if strict is None:
            strict = not self.allow_partial_load
        load_model_weights(
            model,
            checkpoint,
            source=filename,
            allow_partial=not strict,
            revise_keys=revise_keys,
        )
        self._has_loaded = True
        self.logger.info(f'Load checkpoint from {filename}')
        return checkpoint

    def _check_resume_parts(self, checkpoint: dict) -> None:
        """What :meth:`resume` restores besides the weights must fit this run."""
        loop = self.train_loop  # iteration-based loops count epochs too
        check_resume_meta(
            checkpoint.get('meta'),
            loop.max_iters,
            loop.max_epochs if isinstance(loop, EpochBasedTrainLoop) else None,
        )
        if 'message_hub' not in checkpoint:
            raise CheckpointError('message_hub is missing')
        check_message_hub(checkpoint['message_hub'])
        if 'param_schedulers' in checkpoint and _built(self.param_schedulers):
            check_param_schedulers(
                self.param_schedulers, checkpoint['param_schedulers']
            )
        if isinstance(self.optim_wrapper, OptimWrapper):
            check_optimizer_state(
                self.optim_wrapper.optimizer, checkpoint.get('optimizer')
            )

    @master_only
    def save_checkpoint(
        self,
        out_dir: str,
        filename: str,
        file_client_args: Optional[dict] = None,
        *args,
        backend_args: Optional[dict] = None,
        **kwargs,
    ) -> None:
        """mmengine's save, into ``<filename>.part`` renamed once complete.

        Remote back ends (``backend_args``, ``file_client_args``) are left to
        mmengine: there is no rename to rely on.
        """
        if (
            file_client_args is not None
            or backend_args is not None
            or '://' in out_dir
        ):
            return super().save_checkpoint(
                out_dir,
                filename,
                file_client_args,
                *args,
                backend_args=backend_args,
                **kwargs,
            )
        final = osp.join(out_dir, filename)
        partial = final + PARTIAL_SUFFIX
        try:
            super().save_checkpoint(
                out_dir, filename + PARTIAL_SUFFIX, None, *args, **kwargs
            )
            with open(partial, 'rb') as file:
                os.fsync(file.fileno())
            os.replace(partial, final)
        except BaseException:
            if osp.exists(partial):
                os.remove(partial)
            raise
