"""A data sampler that can start an epoch part-way, for resuming in the middle of an epoch.

mmengine's ``EpochBasedTrainLoop`` resumed from a checkpoint written mid-epoch
(``CheckpointHook(by_epoch=False)``) restarts that epoch from its first batch: with the same
seed and epoch, ``DefaultSampler`` yields the same order again, so the samples already trained
on are trained on twice and the rest of the epoch is shifted. At 9 million images an epoch is
hours on 8 GPUs. :class:`ResumableSampler` is ``DefaultSampler`` (same order, same sharding
over ranks) plus :meth:`skip`, which drops the first samples of the next epoch it yields;
:class:`~mmslffm.engine.EpochPositionHook` records the position in checkpoints and calls it.
(``IterBasedTrainLoop`` needs neither: mmengine advances its data iterator on resume.)
"""

import itertools
from typing import Iterator

from mmengine.dataset import DefaultSampler

from mmslffm.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class ResumableSampler(DefaultSampler):
    """``DefaultSampler`` whose next epoch can start after ``n`` samples.

    Args: as :class:`mmengine.dataset.DefaultSampler` (``shuffle``,
        ``seed``, ``round_up``).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._skip = 0

    def skip(self, num_samples: int) -> None:
        """Leave out this rank's first ``num_samples`` samples of the next
        epoch iterated (once; the epochs after start from the beginning)."""
        self._skip = num_samples

    def __iter__(self) -> Iterator[int]:
        start, self._skip = self._skip, 0
        return itertools.islice(super().__iter__(), start, None)
