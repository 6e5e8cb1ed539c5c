"""LAMB with mmpretrain's exact arithmetic, computed block by block so CPU steps stay in cache.

mmpretrain's ``Lamb`` updates each parameter with about ten whole-tensor operations (moments,
denominator, update, weight decay, trust ratio), each streaming the tensor through memory
again and three of them allocating a temporary of the parameter's size. On a CPU that step is
bound by memory traffic: for SLFFM's ConvNeXt-B with its decoder (114 M parameters) it is about
a quarter of a pretraining step. :class:`CacheBlockedLamb` runs the same element-wise
operations, in the same order, on blocks of ``block_size`` elements that stay in cache, writes
the update into one reused buffer, and takes the norms (global gradient norm, weight norm,
update norm) with mmpretrain's own whole-tensor reductions, so its parameters and moments are
bit-identical to mmpretrain's ``Lamb`` and its state dict is interchangeable with it.

``torch._foreach_*`` kernels do not help here: on a CPU they loop over the tensors one by one,
so they only save Python overhead, and they need the update of every tensor at once.

LAMB is You et al., "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes",
ICLR 2020; SparK and SLFFM pretrain with it (Tian et al., ICLR 2023; Dong et al., IEEE TGRS
2024).
"""

import math
from typing import Callable, Dict, Optional, Tuple

import torch
from mmpretrain.engine.optimizers import Lamb

from mmslffm.registry import OPTIMIZERS

# Elements per block and torch thread on a CPU: each thread's share of the block's gradient,
# moments, parameter and update (5 x 256 KiB in float32) fits in its core's L2 cache.
CPU_BLOCK_SIZE_PER_THREAD = 1 << 16


def flat_views(
    tensors: Tuple[torch.Tensor, ...],
) -> Optional[Tuple[torch.Tensor, ...]]:
    """(numel,) views, in memory order, of tensors sharing one dense layout.

    Contiguous tensors and permuted-dense ones (e.g. channels-last conv
    weights with their gradient and moments) qualify; ``None`` when the
    strides differ or leave gaps.
    """
    strides = tensors[0].stride()
    if any(t.stride() != strides for t in tensors[1:]):
        return None
    order = sorted(range(len(strides)), key=lambda d: -strides[d])
    views = tuple(t.permute(order) for t in tensors)
    if not views[0].is_contiguous():
        return None
    return tuple(v.view(-1) for v in views)


@OPTIMIZERS.register_module()
class CacheBlockedLamb(Lamb):
    """mmpretrain's ``Lamb`` (same arguments, state and results), faster on CPU.

    Args:
        block_size: elements per block of the element-wise update. ``None``
            uses :data:`CPU_BLOCK_SIZE_PER_THREAD` times the torch threads
            for CPU tensors and the whole tensor on accelerators (where each
            block costs kernel launches and the memory traffic is cheap).
        *args, **kwargs: those of ``mmpretrain.engine.optimizers.Lamb``
            (``lr``, ``betas``, ``eps``, ``weight_decay``, ``max_grad_norm``,
            ``trust_clip``, ``always_adapt``, ...).

    Shapes:
        any parameter shape; each is updated through its flat (numel,) view
        in memory order (see :func:`flat_views`).
    """

    def __init__(
        self, params, *args, block_size: Optional[int] = None, **kwargs
    ):
        if block_size is not None and block_size < 1:
            raise ValueError(f'block_size must be positive, got {block_size}')
        super().__init__(params, *args, **kwargs)
        self.block_size = block_size
        # update buffers, one per (device, dtype), as large as the largest parameter
        self._update_buffers: Dict[
            Tuple[torch.device, torch.dtype], torch.Tensor
        ] = {}

    def _block_size_for(self, tensor: torch.Tensor) -> int:
        if self.block_size is not None:
            return self.block_size
        if tensor.device.type == 'cpu':
            return CPU_BLOCK_SIZE_PER_THREAD * torch.get_num_threads()
        return tensor.numel()

    def _update_buffer(self, param: torch.Tensor) -> torch.Tensor:
        """A reused (numel,) buffer for the parameter's update."""
        key = (param.device, param.dtype)
        buffer = self._update_buffers.get(key)
        if buffer is None or buffer.numel() < param.numel():
            buffer = torch.empty(
                param.numel(), dtype=param.dtype, device=param.device
            )
            self._update_buffers[key] = buffer
        return buffer[: param.numel()]

    @torch.no_grad()
    def step(self, closure: Optional[Callable[[], float]] = None):
        """One LAMB step over all parameter groups; returns the closure's loss."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        device = self.param_groups[0]['params'][0].device
        one = torch.tensor(1.0, device=device)
        grads = [
            p.grad
            for group in self.param_groups
            for p in group['params']
            if p.grad is not None
        ]
        squared_norm = torch.zeros(1, device=device)
        for grad in grads:
            if grad.is_sparse:
                raise RuntimeError(
                    'Lamb does not support sparse gradients, consider '
                    'SparseAdam instead.'
                )
            squared_norm.add_(grad.pow(2).sum())
        global_norm = torch.sqrt(squared_norm)
        max_norm = torch.tensor(self.defaults['max_grad_norm'], device=device)
        clip = torch.where(global_norm > max_norm, global_norm / max_norm, one)
        # dividing by exactly 1 changes nothing: skip that pass over the gradients
        clipping = bool(clip != 1)
        for group in self.param_groups:
            self._update_group(group, clip if clipping else None, one)
        return loss

    def _update_group(
        self, group: dict, clip: Optional[torch.Tensor], one: torch.Tensor
    ) -> None:
        group['step'] = group.get('step', 0) + 1
        beta1, beta2 = group['betas']
        beta3 = 1 - beta1 if group['grad_averaging'] else 1.0
        if group['bias_correction']:
            bias_correction1 = 1 - beta1 ** group['step']
            bias_correction2 = 1 - beta2 ** group['step']
        else:
            bias_correction1, bias_correction2 = 1.0, 1.0
        sqrt_bias_correction2 = math.sqrt(bias_correction2)
        weight_decay = group['weight_decay']
        for param in group['params']:
            if param.grad is None:
                continue
            state = self.state[param]
            if len(state) == 0:
                state['exp_avg'] = torch.zeros_like(param)
                state['exp_avg_sq'] = torch.zeros_like(param)
            tensors = (
                param,
                param.grad,
                state['exp_avg'],
                state['exp_avg_sq'],
            )
            numel = param.numel()
            flat = flat_views(tensors)
            if flat is not None:
                block = self._block_size_for(param)
                tensors = flat
                update = self._update_buffer(param)
            else:  # no common flat view: one block, in the moments' layout
                block = numel
                update = torch.empty_like(state['exp_avg'])
            flat_param, flat_grad, flat_exp_avg, flat_exp_avg_sq = tensors
            whole = block >= numel
            denom_buffer = torch.empty(
                flat_param.shape if whole else (block,),
                dtype=param.dtype,
                device=param.device,
            )
            for start in range(0, numel, block):
                span = slice(None) if whole else slice(start, start + block)
                grad = flat_grad[span]
                if clip is not None:
                    grad.div_(clip)
                exp_avg = flat_exp_avg[span]
                exp_avg_sq = flat_exp_avg_sq[span]
                exp_avg.mul_(beta1).add_(grad, alpha=beta3)
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                denom = torch.sqrt(
                    exp_avg_sq, out=denom_buffer[: exp_avg_sq.shape[0]]
                )
                denom.div_(sqrt_bias_correction2).add_(group['eps'])
                block_update = torch.div(
                    exp_avg, bias_correction1, out=update[span]
                )
                block_update.div_(denom)
                if weight_decay != 0:
                    block_update.add_(flat_param[span], alpha=weight_decay)
            if weight_decay != 0 or group['always_adapt']:
                weight_norm = flat_param.norm(2.0)
                update_norm = update.norm(2.0)
                trust_ratio = torch.where(
                    weight_norm > 0,
                    torch.where(
                        update_norm > 0, weight_norm / update_norm, one
                    ),
                    one,
                )
                if group['trust_clip']:
                    trust_ratio = torch.minimum(trust_ratio, one)
                update.mul_(trust_ratio)
            flat_param.add_(update, alpha=-group['lr'])
