"""Skip a training sample whose files cannot be read, and say which one.

mmengine's datasets already draw another sample when a pipeline returns ``None`` (up to
``max_refetch`` times, then they fail), but mmcv/mmseg loaders raise on a corrupt or missing
file, which stops a long training run. This wrapper turns such an error into a logged warning
naming the file and a ``None``, so one bad tile among thousands costs one sample, not the run.
Test-mode datasets refuse ``None``, so evaluation never skips silently.
"""
from typing import List, Optional

from mmcv.transforms import BaseTransform, Compose
from mmengine.logging import MMLogger

from mmslffm.registry import TRANSFORMS

__all__ = ['SkipUnreadable']


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

    def transform(self, results: dict) -> Optional[dict]:
        try:
            return self.transforms(results)
        except Exception as error:  # any decode/IO failure of one sample
            files = [results[key] for key in ('img_path', 'seg_map_path')
                     if results.get(key)]
            MMLogger.get_current_instance().warning(
                f'skipped unreadable sample {" + ".join(files)}: '
                f'{type(error).__name__}: {error}')
            return None
