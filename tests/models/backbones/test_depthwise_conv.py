import pytest
import torch
from torch import nn

from mmslffm.models.backbones.depthwise_conv import (
    PER_SAMPLE_MIN_POSITIONS,
    same_depthwise_conv,
)


def _grads(fn, conv, x):
    conv.zero_grad()
    x = x.detach().clone().requires_grad_(True)
    out = fn(x)
    (out * torch.linspace(-1, 1, out.numel()).view_as(out)).sum().backward()
    return out.detach(), x.grad, conv.weight.grad, conv.bias.grad


@pytest.mark.parametrize('memory_format', ['contiguous', 'channels_last'])
@pytest.mark.parametrize('kernel', [3, 7])
# below and above PER_SAMPLE_MIN_POSITIONS: the two weight-gradient paths
@pytest.mark.parametrize('size', [(9, 11), (28, 29)])
def test_matches_autograd_conv(memory_format, kernel, size):
    assert (size[0] * size[1] >= PER_SAMPLE_MIN_POSITIONS) == (size[0] > 9)
    torch.manual_seed(0)
    conv = nn.Conv2d(6, 6, kernel, padding=kernel // 2, groups=6)
    x = torch.randn(3, 6, *size)
    if memory_format == 'channels_last':
        x = x.contiguous(memory_format=torch.channels_last)
    expected = _grads(conv, conv, x)
    got = _grads(lambda t: same_depthwise_conv(conv, t), conv, x)
    # sums of up to 2,436 terms in another order: within 1e-5 of the largest
    # entry (measured 1.4e-6 on 28x29 maps; both within 1.1e-6 of float64)
    for a, b in zip(got, expected):
        assert (a - b).abs().max() <= 1e-5 * b.abs().max()


def test_under_cpu_autocast():
    torch.manual_seed(0)
    conv = nn.Conv2d(4, 4, 7, padding=3, groups=4)
    x = torch.randn(2, 4, 8, 8)

    def autocast(fn):
        def run(t):
            with torch.autocast('cpu', dtype=torch.bfloat16):
                return fn(t)

        return run

    expected = _grads(autocast(conv), conv, x)
    got = _grads(autocast(lambda t: same_depthwise_conv(conv, t)), conv, x)
    assert got[2].dtype == torch.float32
    for a, b in zip(got, expected):
        torch.testing.assert_close(a, b, rtol=5e-2, atol=5e-2)


@pytest.mark.parametrize(
    'conv',
    [
        nn.Conv2d(4, 4, 7, padding=2, groups=4),  # not same-size
        nn.Conv2d(4, 4, 7, padding=3, stride=2, groups=4),
        nn.Conv2d(4, 8, 7, padding=3, groups=4),  # not depthwise
        nn.Conv2d(4, 4, 7, padding=3, groups=4, padding_mode='reflect'),
    ],
)
def test_rejects_other_convolutions(conv):
    with pytest.raises(ValueError, match='stride-1 depthwise'):
        same_depthwise_conv(conv, torch.randn(1, 4, 8, 8))


def test_off_the_cpu_it_is_the_plain_convolution():
    """The custom backward is a CPU remedy: on another device autograd's own
    convolution backward (cuDNN's) runs (the meta device stands in here)."""
    conv = nn.Conv2d(4, 4, 7, padding=3, groups=4).to('meta')
    x = torch.randn(2, 4, 8, 8, device='meta', requires_grad=True)
    y = same_depthwise_conv(conv, x)
    assert y.shape == (2, 4, 8, 8)
    assert 'SameDepthwise' not in type(y.grad_fn).__name__
    cpu_conv = nn.Conv2d(4, 4, 7, padding=3, groups=4)
    cpu_x = torch.randn(2, 4, 8, 8, requires_grad=True)
    assert (
        'SameDepthwise'
        in type(same_depthwise_conv(cpu_conv, cpu_x).grad_fn).__name__
    )
