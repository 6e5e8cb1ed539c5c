"""Multi-process runs without GPUs: ``tools/dist_train.sh CONFIG 2`` on CPU processes.

mmengine's ``init_dist`` selects a CUDA device before it opens the process group, and its
runner gives DDP ``device_ids``; both fail on a machine without GPUs. For a torchrun launch
(``--launcher pytorch``) without CUDA, :func:`prepare_cpu_distributed` opens a gloo process
group first (the runner then keeps it) and replaces the model wrapper
``MMDistributedDataParallel`` (the default) by
:class:`~mmslffm.models.wrappers.CPUDistributedDataParallel`, keeping its arguments.
"""

from datetime import timedelta

import torch
import torch.distributed as dist
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.model import MMDistributedDataParallel


def prepare_cpu_distributed(cfg: Config) -> None:
    """Set up a CPU (gloo) run if ``cfg.launcher`` is 'pytorch' and there is
    no CUDA; otherwise leave everything to mmengine."""
    if cfg.get('launcher', 'none') != 'pytorch' or torch.cuda.is_available():
        return
    if not dist.is_initialized():
        timeout = cfg.get('env_cfg', {}).get('dist_cfg', {}).get('timeout')
        kwargs = dict(timeout=timedelta(seconds=timeout)) if timeout else {}
        dist.init_process_group('gloo', **kwargs)
        print_log(
            f'no CUDA: rank {dist.get_rank()} of '
            f'{dist.get_world_size()} runs on the CPU (gloo backend, '
            'SyncBatchNorm synchronized through gloo)',
            logger='current',
        )
    wrapper = dict(cfg.get('model_wrapper_cfg') or {})
    if wrapper.get('type', 'MMDistributedDataParallel') in (
        'MMDistributedDataParallel',
        MMDistributedDataParallel,
    ):
        wrapper['type'] = 'mmslffm.CPUDistributedDataParallel'
    wrapper.setdefault('broadcast_buffers', False)
    wrapper.setdefault(
        'find_unused_parameters', cfg.get('find_unused_parameters', False)
    )
    cfg.model_wrapper_cfg = wrapper
