"""LAMB with mmpretrain's arithmetic, its Adam part in PyTorch's fused Adam kernel.

mmpretrain's ``Lamb`` updates each parameter with about ten whole-tensor operations (moments,
denominator, update, weight decay, trust ratio), each streaming the tensor through memory
again and three of them allocating a temporary of the parameter's size. On a CPU that step is
bound by memory traffic: for SLFFM's ConvNeXt-B with its decoder (114 M parameters) it is about
a sixth of a pretraining step. LAMB's update is Adam's step direction plus weight decay, scaled
per tensor by a trust ratio, so :class:`FusedLamb` takes the direction from PyTorch's fused
Adam kernel (``torch._fused_adam_``, one pass over gradient and moments, on CPU and CUDA) run
on a reused update buffer, and does the rest as mmpretrain does. Its state dict is
mmpretrain's; results agree with mmpretrain's ``Lamb`` to float32 rounding (the kernel
associates the same operations differently).

``torch._foreach_*`` kernels do not help here: on a CPU they loop over the tensors one by one,
so they only save Python overhead, and they need the update of every tensor at once.

LAMB is You et al., "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes",
ICLR 2020; SparK and SLFFM pretrain with it (Tian et al., ICLR 2023; Dong et al., IEEE TGRS
2024).
"""

from typing import Callable, Dict, Optional, Tuple

import torch
from mmpretrain.engine.optimizers import Lamb

from mmslffm.registry import OPTIMIZERS

# devices with a fused Adam kernel; elsewhere mmpretrain's step runs
FUSED_ADAM_DEVICES = ('cpu', 'cuda')


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
class FusedLamb(Lamb):
    """mmpretrain's ``Lamb`` (same arguments and state), faster.

    Groups with ``grad_averaging=False`` or ``bias_correction=False`` (which
    the fused Adam kernel cannot express), and parameters on other devices,
    take mmpretrain's own step.

    Args:
        *args, **kwargs: those of ``mmpretrain.engine.optimizers.Lamb``
            (``lr``, ``betas``, ``eps``, ``weight_decay``, ``max_grad_norm``,
            ``trust_clip``, ``always_adapt``, ...).

    Shapes:
        any dense parameter; parameter, gradient and moments are updated
        through flat (numel,) views in memory order (see :func:`flat_views`).
    """

    def __init__(self, params, *args, **kwargs):
        super().__init__(params, *args, **kwargs)
        # update buffers, one per (device, dtype), as large as the largest parameter
        self._update_buffers: Dict[
            Tuple[torch.device, torch.dtype], torch.Tensor
        ] = {}

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

    def _fusable(self) -> bool:
        return all(
            group['grad_averaging'] and group['bias_correction']
            for group in self.param_groups
        ) and all(
            p.device.type in FUSED_ADAM_DEVICES
            for group in self.param_groups
            for p in group['params']
        )

    @torch.no_grad()
    def step(self, closure: Optional[Callable[[], float]] = None):
        """One LAMB step over all parameter groups; returns the closure's loss."""
        if not self._fusable():
            return super().step(closure)
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        device = self.param_groups[0]['params'][0].device
        one = torch.tensor(1.0, device=device)
        squared_norm = torch.zeros(1, device=device)
        for group in self.param_groups:
            for param in group['params']:
                if param.grad is None:
                    continue
                if param.grad.is_sparse:
                    raise RuntimeError(
                        'Lamb does not support sparse gradients, consider '
                        'SparseAdam instead.'
                    )
                squared_norm.add_(param.grad.pow(2).sum())
        global_norm = torch.sqrt(squared_norm)
        max_norm = torch.tensor(self.defaults['max_grad_norm'], device=device)
        clip = torch.where(global_norm > max_norm, global_norm / max_norm, one)
        for group in self.param_groups:
            self._update_group(group, clip, one)
        return loss

    def _aligned_flat_views(
        self, param: torch.Tensor
    ) -> Tuple[torch.Tensor, ...]:
        """Flat views of parameter, gradient and moments in one memory order.

        The fused kernel walks all four in memory order, so a gradient in
        another layout, or moments saved before the parameter's layout
        changed (e.g. a checkpoint from before a channels-last conversion),
        are first copied into the parameter's layout.
        """
        state = self.state[param]
        if len(state) == 0:
            state['exp_avg'] = torch.zeros_like(param)
            state['exp_avg_sq'] = torch.zeros_like(param)
        flat = flat_views(
            (param, param.grad, state['exp_avg'], state['exp_avg_sq'])
        )
        if flat is not None:  # the usual case: one dense layout already
            return flat
        if flat_views((param,)) is None:
            raise ValueError(
                f'FusedLamb needs dense parameters; got one of shape '
                f'{tuple(param.shape)} with strides {param.stride()}'
            )
        grad = torch.empty_like(param).copy_(param.grad)
        for key in ('exp_avg', 'exp_avg_sq'):
            if state[key].stride() != param.stride():
                state[key] = torch.empty_like(param).copy_(state[key])
        return flat_views((param, grad, state['exp_avg'], state['exp_avg_sq']))

    def _update_group(
        self, group: dict, clip: torch.Tensor, one: torch.Tensor
    ) -> None:
        group['step'] = group.get('step', 0) + 1
        beta1, beta2 = group['betas']
        weight_decay = group['weight_decay']
        steps: Dict[torch.device, torch.Tensor] = {}
        for param in group['params']:
            if param.grad is None:
                continue
            if param.device not in steps:
                steps[param.device] = torch.tensor(
                    float(group['step']), device=param.device
                )
            flat_param, grad, exp_avg, exp_avg_sq = self._aligned_flat_views(
                param
            )
            update = self._update_buffer(param)
            torch.mul(flat_param, weight_decay, out=update)
            # Adam's bias-corrected direction m_hat / (sqrt(v_hat) + eps) with
            # the gradient divided by the clip factor, added to the update:
            # the kernel does "update -= lr / bc1 * m / denom" with lr = -1
            torch._fused_adam_(
                [update],
                [grad],
                [exp_avg],
                [exp_avg_sq],
                [],
                [steps[param.device]],
                lr=-1.0,
                beta1=beta1,
                beta2=beta2,
                weight_decay=0.0,
                eps=group['eps'],
                amsgrad=False,
                maximize=False,
                grad_scale=clip,
            )
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
                flat_param.addcmul_(update, trust_ratio, value=-group['lr'])
            else:
                flat_param.add_(update, alpha=-group['lr'])
