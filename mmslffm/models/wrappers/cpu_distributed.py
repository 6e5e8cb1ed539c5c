"""Data-parallel training on CPU processes (gloo), e.g. to test multi-process runs without GPUs.

Two things in torch/mmengine assume GPUs, and this module supplies what they lack:

* ``torch.nn.SyncBatchNorm`` refuses CPU tensors in a distributed run (and DDP refuses it in a
  CPU module). :class:`CPUSyncBatchNorm` has the same parameters, buffers and state-dict keys;
  it sums the per-channel count, sum and sum of squares over the ranks with the differentiable
  ``torch.distributed.nn.all_reduce``, so a batch of B split over the ranks is normalized
  exactly as the whole batch of B on one process (gradients included).
* mmengine's runner wraps the model with ``device_ids=[LOCAL_RANK]``, which DDP rejects for a
  CPU module. :class:`CPUDistributedDataParallel` is ``MMDistributedDataParallel`` that drops
  ``device_ids`` for a CPU module and converts its SyncBatchNorm layers as above.
"""

from typing import Optional

import torch
import torch.distributed as dist
import torch.distributed.nn as dist_nn
from mmengine.model import MMDistributedDataParallel
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmslffm.registry import MODEL_WRAPPERS


class CPUSyncBatchNorm(_BatchNorm):
    """Batch normalization synchronized over the ranks, for CPU tensors (gloo).

    Not a subclass of ``nn.SyncBatchNorm``, which DDP refuses in a CPU module.

    Args: as ``nn.SyncBatchNorm``.
    """

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: Optional[float] = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        process_group=None,
    ) -> None:
        super().__init__(
            num_features, eps, momentum, affine, track_running_stats
        )
        self.process_group = process_group

    def _check_input_dim(self, input: torch.Tensor) -> None:
        if input.dim() < 2:
            raise ValueError(f'expected (B, C, *) input, got {input.dim()}-D')

    def forward(self, input: torch.Tensor) -> torch.Tensor:
        """input: (B, C, *) -> (B, C, *)."""
        if (
            not self.training
            or not dist.is_initialized()
            or dist.get_world_size(self.process_group) < 2
        ):
            return super().forward(input)
        dims = [0, *range(2, input.dim())]
        channels = input.size(1)
        local = torch.cat(
            [
                input.sum(dims),
                (input * input).sum(dims),
                input.new_full((1,), input.numel() / channels),
            ]
        )
        total = dist_nn.all_reduce(
            local, group=self.process_group or dist.group.WORLD
        )
        count = total[-1]
        mean = total[:channels] / count
        var = total[channels : 2 * channels] / count - mean * mean
        if self.track_running_stats:
            self._update_running_stats(
                mean.detach(), var.detach(), count.item()
            )
        shape = (1, channels) + (1,) * (input.dim() - 2)
        output = (input - mean.view(shape)) * torch.rsqrt(
            var.view(shape) + self.eps
        )
        if self.affine:
            output = output * self.weight.view(shape) + self.bias.view(shape)
        return output

    @torch.no_grad()
    def _update_running_stats(
        self, mean: torch.Tensor, var: torch.Tensor, count: float
    ) -> None:
        self.num_batches_tracked += 1
        momentum = (
            1.0 / float(self.num_batches_tracked)
            if self.momentum is None
            else self.momentum
        )
        unbiased = var * count / max(count - 1.0, 1.0)
        self.running_mean.lerp_(mean, momentum)
        self.running_var.lerp_(unbiased, momentum)


def convert_sync_batchnorm_for_cpu(module: nn.Module) -> nn.Module:
    """Replace every ``nn.SyncBatchNorm`` in ``module`` by
    :class:`CPUSyncBatchNorm`, keeping its parameters and buffers.

    Subclasses with their own forward (e.g. mmpretrain's sparse BN) are kept.
    """
    if (
        isinstance(module, nn.SyncBatchNorm)
        and type(module).forward is nn.SyncBatchNorm.forward
    ):
        converted = CPUSyncBatchNorm(
            module.num_features,
            module.eps,
            module.momentum,
            module.affine,
            module.track_running_stats,
            module.process_group,
        )
        converted.load_state_dict(module.state_dict())
        if module.affine:
            converted.weight.requires_grad_(module.weight.requires_grad)
            converted.bias.requires_grad_(module.bias.requires_grad)
        converted.train(module.training)
        return converted
    for name, child in module.named_children():
        module.add_module(name, convert_sync_batchnorm_for_cpu(child))
    return module


@MODEL_WRAPPERS.register_module()
class CPUDistributedDataParallel(MMDistributedDataParallel):
    """``MMDistributedDataParallel`` that also runs on CPU processes.

    Args:
        module: the model; on CPU its SyncBatchNorm layers are converted to
            :class:`CPUSyncBatchNorm`.
        device_ids: ignored for a CPU module (DDP rejects them).
        **kwargs: ``MMDistributedDataParallel`` arguments.
    """

    def __init__(
        self, module: nn.Module, device_ids: Optional[list] = None, **kwargs
    ) -> None:
        first = next(module.parameters(), None)
        if first is not None and first.device.type == 'cpu':
            module = convert_sync_batchnorm_for_cpu(module)
            device_ids = None
        super().__init__(module=module, device_ids=device_ids, **kwargs)
