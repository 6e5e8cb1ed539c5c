"""ConvNeXt's per-token LayerNorm + MLP + layer scale as one autograd function that keeps less.

Autograd keeps, per ConvNeXt block and token of C channels, the LayerNorm input and output,
the first linear layer's output, the GELU output (4C each) and the second linear layer's
output: 11C values. :func:`token_mlp` keeps the LayerNorm input, its per-token mean and
reciprocal std, the first linear layer's output and the second's (6C + 2) and recomputes the
LayerNorm and GELU outputs in backward (element-wise, cheap next to the matmuls). The gradients
are the ones autograd computes, from the same ATen kernels (``native_layer_norm_backward``,
``gelu_backward``, matmuls).

The block is ConvNeXt's (Liu et al., "A ConvNet for the 2020s", CVPR 2022); recomputing cheap
element-wise layers instead of storing them is activation recomputation (Chen et al.,
"Training Deep Nets with Sublinear Memory Cost", 2016).
"""

from typing import Optional

import torch
import torch.nn.functional as F


def _norm_input(
    tokens: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, eps: float
) -> torch.Tensor:
    """(N, C) tokens in the dtype autocast gives ``F.layer_norm`` here.

    ``native_layer_norm``, called for its mean and rstd, is not on autocast's
    lists; ``layer_norm`` is, on CUDA in float32. An empty call of it reads
    the active policy (any device, any autocast dtype) at no cost.
    """
    policy = F.layer_norm(tokens[:0], tokens.shape[-1:], weight, bias, eps)
    return tokens.to(policy.dtype)


class TokenMLPFunction(torch.autograd.Function):
    """LayerNorm -> Linear -> GELU -> Linear -> layer scale on (N, C) tokens."""

    @staticmethod
    def forward(
        ctx,
        tokens: torch.Tensor,
        norm_weight: torch.Tensor,
        norm_bias: torch.Tensor,
        eps: float,
        weight1: torch.Tensor,
        bias1: torch.Tensor,
        weight2: torch.Tensor,
        bias2: torch.Tensor,
        gamma: Optional[torch.Tensor],
        approximate: str,
    ) -> torch.Tensor:
        channels = tokens.shape[-1]
        normed, mean, rstd = torch.native_layer_norm(
            _norm_input(tokens, norm_weight, norm_bias, eps),
            (channels,),
            norm_weight,
            norm_bias,
            eps,
        )
        hidden = F.linear(normed, weight1, bias1)
        out = F.linear(F.gelu(hidden, approximate=approximate), weight2, bias2)
        ctx.eps = eps
        ctx.approximate = approximate
        device_type = tokens.device.type
        ctx.autocast = dict(
            device_type=device_type,
            dtype=torch.get_autocast_dtype(device_type),
            enabled=torch.is_autocast_enabled(device_type),
        )
        ctx.save_for_backward(
            tokens,
            mean,
            rstd,
            hidden,
            out if gamma is not None else None,
            norm_weight,
            norm_bias,
            weight1,
            weight2,
            gamma,
        )
        return out * gamma if gamma is not None else out

    @staticmethod
    def backward(ctx, grad_result: torch.Tensor):
        # the matmuls run under the forward's autocast state, as autograd's would
        with torch.autocast(**ctx.autocast):
            return TokenMLPFunction._backward(ctx, grad_result)

    @staticmethod
    def _backward(ctx, grad_result: torch.Tensor):
        (
            tokens,
            mean,
            rstd,
            hidden,
            out,
            norm_weight,
            norm_bias,
            weight1,
            weight2,
            gamma,
        ) = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_gamma = None
        if gamma is not None:
            if needs[8]:
                grad_gamma = (grad_result * out).sum(0)
            grad_out = grad_result * gamma
        else:
            grad_out = grad_result
        activation = F.gelu(hidden, approximate=ctx.approximate)
        grad_weight2 = grad_out.t().mm(activation) if needs[6] else None
        grad_bias2 = grad_out.sum(0) if needs[7] else None
        grad_hidden = torch.ops.aten.gelu_backward(
            grad_out.mm(weight2), hidden, approximate=ctx.approximate
        )
        channels = tokens.shape[-1]
        norm_input = _norm_input(tokens, norm_weight, norm_bias, ctx.eps)
        normed = None
        if needs[4]:
            normed, _, _ = torch.native_layer_norm(
                norm_input, (channels,), norm_weight, norm_bias, ctx.eps
            )
        grad_weight1 = grad_hidden.t().mm(normed) if needs[4] else None
        grad_bias1 = grad_hidden.sum(0) if needs[5] else None
        grad_tokens, grad_norm_weight, grad_norm_bias = (
            torch.ops.aten.native_layer_norm_backward(
                grad_hidden.mm(weight1).to(norm_input.dtype),
                norm_input,
                (channels,),
                mean,
                rstd,
                norm_weight,
                norm_bias,
                [needs[0], needs[1], needs[2]],
            )
        )
        if grad_tokens is not None:
            grad_tokens = grad_tokens.to(tokens.dtype)
        return (
            grad_tokens,
            grad_norm_weight,
            grad_norm_bias,
            None,
            grad_weight1,
            grad_bias1,
            grad_weight2,
            grad_bias2,
            grad_gamma,
            None,
        )


def token_mlp(
    tokens: torch.Tensor,
    norm: torch.nn.LayerNorm,
    fc1: torch.nn.Linear,
    act: torch.nn.GELU,
    fc2: torch.nn.Linear,
    gamma: Optional[torch.Tensor],
) -> torch.Tensor:
    """``gamma * fc2(act(fc1(norm(tokens))))``, keeping 6C + 2 values per token.

    Args:
        tokens: (N, C) gathered tokens.
        norm, fc1, act, fc2, gamma: a ConvNeXt block's LayerNorm (C), Linear
            (C -> 4C), GELU, Linear (4C -> C) and layer scale (C,) or None.

    Returns:
        (N, C), equal to the modules applied one after the other.
    """
    return TokenMLPFunction.apply(
        tokens,
        norm.weight,
        norm.bias,
        norm.eps,
        fc1.weight,
        fc1.bias,
        fc2.weight,
        fc2.bias,
        gamma,
        act.approximate,
    )
