"""ConvNeXt's 7x7 depthwise convolution with a backward pass built from forward convolutions.

On CPU, PyTorch's depthwise convolution backward (oneDNN) computes the weight gradient about
ten times slower than the forward pass (ConvNeXt-B, batch 4, 14x14 maps: 8 ms against 0.9 ms
forward), and it dominated the sparse encoder's backward. For a stride-1 "same" convolution
both gradients are forward depthwise convolutions, which oneDNN runs fast:

* input gradient: the output gradient convolved with the spatially flipped kernel;
* weight gradient: each (sample, channel) input plane correlated with its output-gradient
  plane, a depthwise convolution whose kernel is the gradient plane (over B*C planes at once,
  or sample by sample on large maps), summed over the batch.

Only CPU tensors take this path (cuDNN's own backward is fast). The forward is ``F.conv2d``
itself, so outputs are unchanged; gradients agree with autograd's
to float32 rounding (the sums run in another order).
"""

from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


class SameDepthwiseConv2dFunction(torch.autograd.Function):
    """Stride-1, same-size depthwise convolution (kernel 2p+1, padding p)."""

    @staticmethod
    def forward(
        ctx,
        x: torch.Tensor,
        weight: torch.Tensor,
        bias: Optional[torch.Tensor],
        padding: int,
    ) -> torch.Tensor:
        ctx.padding = padding
        device_type = x.device.type
        ctx.autocast = dict(
            device_type=device_type,
            dtype=torch.get_autocast_dtype(device_type),
            enabled=torch.is_autocast_enabled(device_type),
        )
        ctx.save_for_backward(x, weight)
        ctx.has_bias = bias is not None
        return F.conv2d(x, weight, bias, padding=padding, groups=x.shape[1])

    @staticmethod
    def backward(ctx, grad_out: torch.Tensor):
        x, weight = ctx.saved_tensors
        needs = ctx.needs_input_grad
        batch, channels, height, width = x.shape
        padding = ctx.padding
        grad_x = grad_weight = grad_bias = None
        # the convolutions run under the forward's autocast state, as autograd's would
        with torch.autocast(**ctx.autocast):
            if needs[0]:
                grad_x = F.conv2d(
                    grad_out,
                    weight.flip(2, 3),
                    padding=padding,
                    groups=channels,
                )
            if needs[1]:
                grad_weight = _depthwise_weight_grad(
                    x, grad_out, weight.shape[-1], padding
                )
        if ctx.has_bias and needs[2]:
            grad_bias = grad_out.sum((0, 2, 3))
        return grad_x, grad_weight, grad_bias, None


# from this many positions per map on, one depthwise convolution per sample is faster than
# one B*C-group convolution whose kernels are as large as the maps (ConvNeXt-B, batch 4, two
# threads: 56x56 2-4 ms against 6-9 ms, 28x28 1.1-1.9 ms against 0.9-5.3 ms, 14x14 slower)
PER_SAMPLE_MIN_POSITIONS = 28 * 28


def _depthwise_weight_grad(
    x: torch.Tensor, grad_out: torch.Tensor, kernel: int, padding: int
) -> torch.Tensor:
    """(C, 1, k, k): every (sample, channel) input plane of x (B, C, H, W)
    correlated with its grad_out plane, summed over the batch."""
    batch, channels, height, width = x.shape
    if height * width >= PER_SAMPLE_MIN_POSITIONS:
        # per sample: C-group convolution of (1, C, H, W) with (C, 1, H, W)
        # kernels; the input is read in its own layout, each sample's
        # gradient planes are reordered into kernels by the convolution
        grad = F.conv2d(
            x[:1], grad_out[0].unsqueeze(1), padding=padding, groups=channels
        )
        for sample in range(1, batch):
            grad = grad + F.conv2d(
                x[sample : sample + 1],
                grad_out[sample].unsqueeze(1),
                padding=padding,
                groups=channels,
            )
        return grad.view(channels, 1, kernel, kernel)
    # (1, B*C, H, W) planes correlated with (B*C, 1, H, W) kernels; from
    # channels-last maps, NCHW copies are the cheap reorder
    planes = x.contiguous().view(1, batch * channels, height, width)
    kernels = grad_out.contiguous().view(batch * channels, 1, height, width)
    per_sample = F.conv2d(
        planes, kernels, padding=padding, groups=batch * channels
    )
    return per_sample.view(batch, channels, kernel, kernel).sum(0).unsqueeze(1)


def same_depthwise_conv(conv: nn.Conv2d, x: torch.Tensor) -> torch.Tensor:
    """``conv(x)`` for a ConvNeXt depthwise conv, with the fast backward.

    Args:
        conv: a depthwise ``nn.Conv2d`` (groups = in = out channels), stride
            1, square kernel 2p+1 with padding p, zero padding.
        x: (B, C, H, W).

    Returns:
        (B, C, H, W), equal to ``conv(x)``; off the CPU it is ``conv(x)``.
    """
    kernel = conv.kernel_size[0]
    padding = conv.padding[0] if isinstance(conv.padding, tuple) else None
    if (
        conv.groups != conv.in_channels
        or conv.out_channels != conv.in_channels
        or conv.stride != (1, 1)
        or conv.dilation != (1, 1)
        or conv.kernel_size != (kernel, kernel)
        or conv.padding != (padding, padding)
        or kernel != 2 * padding + 1
        or conv.padding_mode != 'zeros'
    ):
        raise ValueError(
            f'same_depthwise_conv needs a stride-1 depthwise conv with kernel '
            f'2p+1 and zero padding p, got {conv}'
        )
    if x.device.type != 'cpu':
        # cuDNN's depthwise backward is fast; a B*C-group convolution with
        # (H, W) kernels, the weight gradient here, would not be
        return conv(x)
    return SameDepthwiseConv2dFunction.apply(
        x, conv.weight, conv.bias, padding
    )
