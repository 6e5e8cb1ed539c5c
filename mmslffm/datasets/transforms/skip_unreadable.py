"""Skip a training sample whose files cannot be read, say which one, and count it.

mmengine's datasets already draw another sample when a pipeline returns ``None`` (up to
``max_refetch`` times, then they fail), but mmcv/mmdet/mmseg loaders raise on a corrupt or
missing file, which stops a long training run. This wrapper turns such an error into a logged
warning naming the file and a ``None``, so one bad tile among thousands costs one sample, not
the run. Skips are counted in shared memory (created before the dataloader workers fork), so
the count in the log is the run's, not one worker's. Test-mode datasets refuse ``None``, so
evaluation never skips silently.

Use it around the loading steps of any training pipeline: segmentation, detection (DOTA
patches, DIOR-R) or change detection.
"""

import ctypes
import multiprocessing
from typing import List, Optional

from mmcv.transforms import BaseTransform, Compose
from mmengine.logging import MMLogger

from mmslffm.registry import TRANSFORMS

__all__ = ['SkipUnreadable', 'SharedCount', 'SAMPLE_FILE_KEYS']

# Result keys that name a sample's files, in the order they are reported.
SAMPLE_FILE_KEYS = ('img_path', 'img_path2', 'seg_map_path')


class SharedCount:
    """A counter that forked dataloader workers share (shared memory).

    Pickling (spawned workers, ``deepcopy``) gives a process-local copy that
    starts at the current value, instead of failing.
    """

    def __init__(self, value: int = 0) -> None:
        self._value = multiprocessing.Value(ctypes.c_long, value)

    def increment(self) -> int:
        """Add one; returns the new value."""
        with self._value.get_lock():
            self._value.value += 1
            return self._value.value

    @property
    def value(self) -> int:
        return self._value.value

    def __getstate__(self) -> dict:
        return dict(value=self.value)

    def __setstate__(self, state: dict) -> None:
        self.__init__(state['value'])


@TRANSFORMS.register_module()
class SkipUnreadable(BaseTransform):
    """Run loading ``transforms``; on an exception log the sample and return None.

    Args:
        transforms: loading steps, e.g. ``[dict(type='LoadImageFromFile'),
            dict(type='LoadAnnotations')]``.

    Example:
        >>> train_pipeline = [
        ...     dict(type='mmslffm.SkipUnreadable', transforms=[
        ...         dict(type='LoadImageFromFile'),
        ...         dict(type='LoadAnnotations', reduce_zero_label=True)]),
        ...     dict(type='PackSegInputs')]
    """

    def __init__(self, transforms: List[dict]) -> None:
        self.transforms = Compose(transforms)
        self._skipped = SharedCount()

    @property
    def num_skipped(self) -> int:
        """Samples skipped so far, over all dataloader workers."""
        return self._skipped.value

    def transform(self, results: dict) -> Optional[dict]:
        try:
            return self.transforms(results)
        except Exception as error:  # any decode/IO failure of one sample
            count = self._skipped.increment()
            files = [
                results[key] for key in SAMPLE_FILE_KEYS if results.get(key)
            ]
            MMLogger.get_current_instance().warning(
                f'skipped unreadable sample {" + ".join(files)}: '
                f'{type(error).__name__}: {error} ({count} skipped so far)'
            )
            return None

    def __repr__(self) -> str:
        return f'{type(self).__name__}(transforms={self.transforms})'
