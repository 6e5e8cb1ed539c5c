"""Mixed precision on every device: float16 with loss scaling on GPUs, bfloat16 on the CPU.

mmengine's ``AmpOptimWrapper`` refuses to be built without a GPU (an assertion), so
``tools/train.py --amp`` could not run on a CPU machine. bfloat16 has float32's exponent range,
so CPU autocast needs no loss scaling: :class:`CPUAutocastOptimWrapper` is mmengine's plain
``OptimWrapper`` with the forward under mmengine's ``autocast``. One function chooses the
precision for the training tool and the benchmarks alike (:func:`amp_dtype`).
"""

from contextlib import contextmanager
from typing import Iterator

import torch
from mmengine.config import Config
from mmengine.device import get_device
from mmengine.optim import OptimWrapper
from mmengine.runner.amp import autocast
from torch import nn

from mmslffm.registry import OPTIM_WRAPPERS

__all__ = ['CPUAutocastOptimWrapper', 'amp_dtype', 'enable_amp']

GPU_AMP_WRAPPER = 'AmpOptimWrapper'  # mmengine's: float16 + GradScaler


def amp_dtype(device_type: str) -> torch.dtype:
    """``--amp``'s precision: float16 on CUDA, bfloat16 elsewhere."""
    return torch.float16 if device_type == 'cuda' else torch.bfloat16


@OPTIM_WRAPPERS.register_module()
class CPUAutocastOptimWrapper(OptimWrapper):
    """mmengine's ``OptimWrapper`` with the forward under bfloat16 CPU autocast."""

    @contextmanager
    def optim_context(self, model: nn.Module) -> Iterator[None]:
        with (
            super().optim_context(model),
            autocast(device_type='cpu', dtype=amp_dtype('cpu')),
        ):
            yield


def enable_amp(cfg: Config) -> str:
    """Switch ``cfg.optim_wrapper`` to mixed precision on the device training
    will use (mmengine's ``get_device``); returns a line saying which."""
    device = get_device()
    if device == 'cpu':
        cfg.optim_wrapper.type = 'mmslffm.CPUAutocastOptimWrapper'
        cfg.optim_wrapper.pop('loss_scale', None)
        return '--amp: no GPU, training in bfloat16 autocast on the CPU'
    cfg.optim_wrapper.type = GPU_AMP_WRAPPER
    cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    return f'--amp: training in {amp_dtype(device)} autocast on {device}'
