import pytest
import torch
from mmpretrain.models.backbones.convnext import ConvNeXtBlock

from mmslffm.models.backbones.token_mlp import token_mlp


def _block(channels=16, layer_scale=1e-6):
    torch.manual_seed(0)
    block = ConvNeXtBlock(channels, layer_scale_init_value=layer_scale)
    for param in block.parameters():
        param.data.normal_(0, 0.3)
    return block


def _plain(block, tokens):
    """The modules one after the other, as autograd sees them."""
    y = torch.nn.functional.layer_norm(
        tokens,
        (tokens.shape[-1],),
        block.norm.weight,
        block.norm.bias,
        block.norm.eps,
    )
    y = block.pointwise_conv2(block.act(block.pointwise_conv1(y)))
    return y * block.gamma if block.gamma is not None else y


def _outputs_and_grads(fn, block, tokens):
    block.zero_grad()
    tokens = tokens.clone().requires_grad_(True)
    out = fn(tokens)
    (out * torch.linspace(-1, 1, out.numel()).view_as(out)).sum().backward()
    grads = {
        n: p.grad.clone()
        for n, p in block.named_parameters()
        if p.grad is not None
    }
    return out.detach(), tokens.grad, grads


@pytest.mark.parametrize('layer_scale', [1e-6, 0.0])
def test_token_mlp_matches_autograd(layer_scale):
    block = _block(layer_scale=layer_scale)
    tokens = torch.randn(37, 16)

    def fused(t):
        return token_mlp(
            t,
            block.norm,
            block.pointwise_conv1,
            block.act,
            block.pointwise_conv2,
            block.gamma,
        )

    out_a, grad_a, params_a = _outputs_and_grads(
        lambda t: _plain(block, t), block, tokens
    )
    out_b, grad_b, params_b = _outputs_and_grads(fused, block, tokens)
    torch.testing.assert_close(out_b, out_a, rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(grad_b, grad_a, rtol=1e-5, atol=1e-6)
    assert params_a.keys() == params_b.keys()
    for name in params_a:
        torch.testing.assert_close(
            params_b[name], params_a[name], rtol=1e-5, atol=1e-6, msg=name
        )


def test_token_mlp_under_cpu_autocast():
    block = _block()
    tokens = torch.randn(20, 16)

    def fused(t):
        with torch.autocast('cpu', dtype=torch.bfloat16):
            return token_mlp(
                t,
                block.norm,
                block.pointwise_conv1,
                block.act,
                block.pointwise_conv2,
                block.gamma,
            )

    def plain(t):
        with torch.autocast('cpu', dtype=torch.bfloat16):
            return _plain(block, t)

    out_a, grad_a, params_a = _outputs_and_grads(plain, block, tokens)
    out_b, grad_b, params_b = _outputs_and_grads(fused, block, tokens)
    assert out_b.dtype == out_a.dtype
    torch.testing.assert_close(out_b, out_a, rtol=2e-2, atol=2e-2)
    torch.testing.assert_close(grad_b, grad_a, rtol=5e-2, atol=5e-2)
    for name in params_a:
        assert params_b[name].dtype == torch.float32
        torch.testing.assert_close(
            params_b[name], params_a[name], rtol=5e-2, atol=5e-2, msg=name
        )
