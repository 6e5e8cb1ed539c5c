"""Resume in the middle of an epoch where the interrupted run stopped, not at its start.

Stores in every checkpoint the epoch and how many batches of it were trained, and on resume
tells the :class:`~mmslffm.datasets.ResumableSampler` to skip the samples of those batches,
so the samples after resuming are exactly the rest of the interrupted epoch. Only for
``EpochBasedTrainLoop``; mmengine's ``IterBasedTrainLoop`` advances its data iterator itself.
"""

import logging
from typing import Optional

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner import EpochBasedTrainLoop

from mmslffm.datasets.resumable_sampler import ResumableSampler
from mmslffm.registry import HOOKS


@HOOKS.register_module()
class EpochPositionHook(Hook):
    """Record the position in the epoch; resume from it (with
    ``sampler=dict(type='mmslffm.ResumableSampler')``)."""

    priority = 'NORMAL'  # counts a batch before CheckpointHook saves it

    def __init__(self) -> None:
        self._batches_done = 0
        self._resume_position: Optional[dict] = None

    def before_train_epoch(self, runner) -> None:
        self._batches_done = 0
        position, self._resume_position = self._resume_position, None
        if (
            position is None
            or runner.iter == 0
            or position['epoch'] != runner.epoch
        ):
            return  # fresh run, fine-tuning, or checkpoint of an epoch end
        if not isinstance(runner.train_loop, EpochBasedTrainLoop):
            return  # mmengine's IterBasedTrainLoop skips the data itself
        dataloader = runner.train_loop.dataloader
        if not isinstance(dataloader.sampler, ResumableSampler):
            print_log(
                'EpochPositionHook: the sampler is not mmslffm.'
                'ResumableSampler; the interrupted epoch restarts from its '
                'first batch',
                logger='current',
                level=logging.WARNING,
            )
            return
        samples = position['batches'] * position['batch_size']
        dataloader.sampler.skip(samples)
        self._batches_done = position['batches']
        print_log(
            f'EpochPositionHook: epoch {runner.epoch} continues after '
            f'{position["batches"]} batches ({samples} samples per '
            'rank)',
            logger='current',
        )

    def after_train_iter(
        self, runner, batch_idx: int, data_batch=None, outputs=None
    ) -> None:
        self._batches_done += 1

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['epoch_position'] = dict(
            epoch=runner.epoch,
            batches=self._batches_done,
            batch_size=runner.train_loop.dataloader.batch_size,
        )

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        self._resume_position = checkpoint.get('epoch_position')
