"""ConvNeXt's stem and downsampling layers computed on the active patches only.

ConvNeXt's stem (conv 4x4 stride 4, LayerNorm) and downsampling layers (LayerNorm, conv 2x2
stride 2) have kernels equal to their strides: each output position is a linear map of one
window of input positions, and in sparse masked image modeling a window never crosses a
32-px patch. So the active outputs need only the active windows, gathered as tokens, and one
matrix product instead of a dense convolution over the whole map, where 60% of the windows are
masked. mmpretrain runs these layers densely; this is the sub-manifold form SparK's sparse
encoder (Tian et al., ICLR 2023) defines, computed without the masked positions.
"""

from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

from ..utils import ActiveSites


def _layer_norm(tokens: torch.Tensor, norm: nn.LayerNorm) -> torch.Tensor:
    return F.layer_norm(
        tokens, tokens.shape[-1:], norm.weight, norm.bias, norm.eps
    )


def _check_patch_conv(conv: nn.Conv2d, norms: tuple) -> None:
    """Raise unless ``conv`` has kernel == stride (no padding, dilation or
    groups) and every norm is a LayerNorm over channels."""
    kernel = conv.kernel_size
    if (
        conv.stride != kernel
        or conv.padding != (0, 0)
        or conv.dilation != (1, 1)
        or conv.groups != 1
        or kernel[0] != kernel[1]
        or not all(
            isinstance(norm, nn.LayerNorm) and len(norm.normalized_shape) == 1
            for norm in norms
        )
    ):
        raise NotImplementedError(
            "the 'gather' backend needs ConvNeXt's stem and downsampling "
            'layers: a conv with kernel equal to its stride and LayerNorm '
            'over channels, got '
            f"{conv} and {norms}; use sparse_backend='masked_dense'"
        )


def gather_patch_conv(
    x: torch.Tensor,
    conv: nn.Conv2d,
    sites: ActiveSites,
    norm_before: Optional[nn.LayerNorm] = None,
    norm_after: Optional[nn.LayerNorm] = None,
) -> torch.Tensor:
    """``norm_after(conv(norm_before(x)))`` at the active positions, zero elsewhere.

    Args:
        x: (B, C, H, W), any memory layout (channels-last reads without a copy).
        conv: Conv2d (C -> C_out) with kernel s x s and stride s.
        sites: the active patches; s must divide the patch side at x's level.
        norm_before, norm_after: LayerNorms over C (C_out), per position.

    Returns:
        (B, C_out, H/s, W/s) in channels-last memory: the layers' output at
        active positions, exactly zero at masked ones.
    """
    _check_patch_conv(conv, tuple(n for n in (norm_before, norm_after) if n))
    batch, channels, height, width = x.shape
    stride = conv.stride[0]
    out_size = (height // stride, width // stride)
    tokens = (
        x.permute(0, 2, 3, 1)
        .reshape(-1, channels)
        .index_select(0, sites.window_indices((height, width), stride))
    )
    if norm_before is not None:
        tokens = _layer_norm(tokens, norm_before)
    # (N * s * s, C) rows ordered (window row, column) -> (N, C * s * s)
    # ordered (channel, row, column), the conv weight's flattening
    windows = (
        tokens.view(-1, stride * stride, channels)
        .transpose(1, 2)
        .reshape(-1, channels * stride * stride)
    )
    out = F.linear(windows, conv.weight.flatten(1), conv.bias)
    if norm_after is not None:
        out = _layer_norm(out, norm_after)
    out_channels = out.shape[-1]
    dense = out.new_zeros(batch * out_size[0] * out_size[1], out_channels)
    dense.index_copy_(0, sites.flat_indices(out_size), out)
    return dense.view(batch, *out_size, out_channels).permute(0, 3, 1, 2)
