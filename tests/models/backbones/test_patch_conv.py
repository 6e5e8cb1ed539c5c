"""Stem and downsampling layers on active windows against the dense layers, masked."""

import pytest
import torch
from mmpretrain.models.utils import LayerNorm2d
from torch import nn

from mmslffm.models.backbones.patch_conv import gather_patch_conv
from mmslffm.models.utils import ActiveSites, random_active_mask


def test_window_indices_list_each_active_window_in_row_major_order():
    active = torch.zeros(2, 1, 2, 3, dtype=torch.bool)
    active[0, 0, 1, 2] = True
    active[1, 0, 0, 0] = True
    sites = ActiveSites(active, (64, 96))
    # the stride-16 level, (4, 6) positions a sample: a 2x2 window per patch
    windows = sites.window_indices((4, 6), 2)
    # sample 0, window at rows 2-3, cols 4-5; sample 1, rows 0-1, cols 0-1
    first = [2 * 6 + 4, 2 * 6 + 5, 3 * 6 + 4, 3 * 6 + 5]
    second = [24 + 0, 24 + 1, 24 + 6, 24 + 7]
    assert windows.tolist() == first + second
    with pytest.raises(ValueError, match='3x3 windows'):
        sites.window_indices((4, 6), 3)


def _layers(in_channels: int, out_channels: int, stride: int, seed: int):
    gen = torch.Generator().manual_seed(seed)
    conv = nn.Conv2d(in_channels, out_channels, stride, stride=stride)
    norm_in, norm_out = LayerNorm2d(in_channels), LayerNorm2d(out_channels)
    for module in (conv, norm_in, norm_out):
        for param in module.parameters():
            param.data = torch.randn(param.shape, generator=gen) * 0.3
    return conv, norm_in, norm_out


@pytest.mark.parametrize('where', ['stem', 'downsample'])
def test_gather_patch_conv_equals_the_dense_layers_masked(where):
    """Values and every gradient, for a 4x4/4 stem (conv, LN) on an image and
    a 2x2/2 downsampling layer (LN, conv) on a channels-last map."""
    stride, channels, size = (4, 3, 64) if where == 'stem' else (2, 6, 8)
    conv, norm_in, norm_out = _layers(channels, 5, stride, seed=1)
    active = random_active_mask(3, (2, 2), 0.5)
    sites = ActiveSites(active, (64, 64))
    x = torch.randn(3, channels, size, size) * sites.mask((size, size))
    if where == 'downsample':
        x = x.contiguous(memory_format=torch.channels_last)
    x.requires_grad_()
    norms = (
        dict(norm_after=norm_out)
        if where == 'stem'
        else dict(norm_before=norm_in)
    )
    sparse = gather_patch_conv(x, conv, sites, **norms)
    if where == 'stem':
        dense = norm_out(conv(x))
    else:
        dense = conv(norm_in(x) * sites.mask((size, size)))
    out_mask = sites.mask(dense.shape[-2:])
    dense = dense * out_mask
    assert sparse.is_contiguous(memory_format=torch.channels_last)
    assert sparse[~out_mask.expand_as(sparse)].abs().max() == 0
    torch.testing.assert_close(sparse, dense, atol=1e-5, rtol=1e-5)

    weights = torch.randn(dense.shape)
    params = [
        x,
        *conv.parameters(),
        *norm_in.parameters(),
        *norm_out.parameters(),
    ]
    grads_sparse = torch.autograd.grad(
        (sparse * weights).sum(), params, allow_unused=True
    )
    grads_dense = torch.autograd.grad(
        (dense * weights).sum(), params, allow_unused=True
    )
    for grad_sparse, grad_dense in zip(grads_sparse, grads_dense):
        if grad_dense is None:  # the norm this layer does not have
            assert grad_sparse is None
            continue
        torch.testing.assert_close(
            grad_sparse, grad_dense, atol=1e-4, rtol=1e-4
        )


def test_gather_patch_conv_refuses_other_layers():
    sites = ActiveSites(torch.ones(1, 1, 1, 1, dtype=torch.bool), (32, 32))
    padded = nn.Conv2d(4, 8, 2, stride=2, padding=1)
    with pytest.raises(
        NotImplementedError, match="sparse_backend='masked_dense'"
    ):
        gather_patch_conv(torch.randn(1, 4, 16, 16), padded, sites)
    conv = nn.Conv2d(4, 8, 2, stride=2)
    with pytest.raises(NotImplementedError, match='LayerNorm over channels'):
        gather_patch_conv(
            torch.randn(1, 4, 16, 16),
            conv,
            sites,
            norm_before=nn.BatchNorm2d(4),
        )
