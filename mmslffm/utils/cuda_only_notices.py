"""Drop the OpenMMLab import-time notices about CUDA-only ops on a machine without CUDA.

Importing ``mmpretrain.models`` imports ``mmdet.models``, whose lane-detection head logs
"Line NMS is not compiled ... This model cannot work without CUDA" through mmengine's current
logger, and ``mmcv.cnn.bricks.transformer`` warns that ``MultiScaleDeformableAttention`` could not
be imported. Both ops exist only as CUDA kernels and no mmslffm model uses them, so on a machine
without CUDA the lines only alarm. Where CUDA is available they are kept: there they may mean an
mmcv build without its CUDA ops.
"""

import logging
import warnings

import torch
from mmengine.logging import MMLogger

CUDA_ONLY_NOTICES = (
    'Line NMS is not compiled',
    'Fail to import ``MultiScaleDeformableAttention``',
)


class CudaOnlyNoticeFilter(logging.Filter):
    """Rejects the log records that start with one of :data:`CUDA_ONLY_NOTICES`."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(CUDA_ONLY_NOTICES)


def silence_cuda_only_notices() -> None:
    """On a machine without CUDA, hide the notices of :data:`CUDA_ONLY_NOTICES`.

    Called where a process starts, never on import (see
    :func:`mmslffm.utils.quiet_imports.import_datasets_quietly`): it sets a warnings filter for
    this process and a log filter on mmengine's current logger, which the OpenMMLab packages log
    to while they are imported.
    """
    if torch.cuda.is_available():
        return
    warnings.filterwarnings(
        'ignore', message=CUDA_ONLY_NOTICES[1], category=UserWarning
    )
    logger = MMLogger.get_current_instance()
    if not any(isinstance(f, CudaOnlyNoticeFilter) for f in logger.filters):
        logger.addFilter(CudaOnlyNoticeFilter())
