"""BIT head: shapes, the tokenizer, attention against torch's, gradients."""

import pytest
import torch
from torch import nn

from mmslffm.models.decode_heads import BITHead
from mmslffm.models.decode_heads.bit_head import TokenAttention

pytestmark = pytest.mark.usefixtures('mmseg_scope')


def tiny_head(**kwargs) -> BITHead:
    args = dict(
        in_channels=8,
        channels=16,
        token_len=4,
        enc_depth=1,
        dec_depth=2,
        num_heads=2,
        head_dim=8,
        num_classes=2,
    )
    args.update(kwargs)
    head = BITHead(**args)
    head.init_weights()
    return head


def feature_pair(batch=2, channels=8, size=8):
    return (
        (torch.randn(batch, channels, size, size),),
        (torch.randn(batch, channels, size, size),),
    )


@pytest.mark.parametrize('dec_with_pos', [False, True])
def test_output_is_upsampled_two_class_logits(dec_with_pos):
    head = tiny_head(dec_with_pos=dec_with_pos, dec_pos_size=4)
    logits = head(feature_pair(size=8))
    assert logits.shape == (2, 2, 32, 32)


def test_paper_defaults():
    head = BITHead(in_channels=128, num_classes=2)
    assert (head.token_len, len(head.encoder), len(head.decoder)) == (4, 1, 8)
    attention = head.decoder[0].attention
    assert (attention.num_heads, attention.head_dim) == (8, 64)
    assert head.token_pos.shape == (1, 8, 32)
    assert head.pixel_pos is None
    assert head.conv_seg.kernel_size == (3, 3)


def test_tokens_are_attention_weighted_means():
    head = tiny_head()
    x = torch.randn(2, 16, 5, 5)
    tokens = head.tokenize(x)
    weights = head.token_attention(x).flatten(2).softmax(-1)
    assert torch.allclose(weights.sum(-1), torch.ones(2, 4))
    expected = (weights[:, 1, None, :] * x.flatten(2)).sum(-1)
    assert tokens.shape == (2, 4, 16)
    assert torch.allclose(tokens[:, 1], expected, atol=1e-6)


def test_attention_equals_torch_multihead_attention():
    """With num_heads * head_dim == dim and no q/k/v bias it is torch's MHA."""
    torch.manual_seed(0)
    ours = TokenAttention(dim=16, num_heads=2, head_dim=8).eval()
    reference = nn.MultiheadAttention(
        16, 2, bias=False, batch_first=True
    ).eval()
    with torch.no_grad():
        ours.proj.bias.zero_()  # torch's bias=False drops the output bias too
        reference.in_proj_weight.copy_(
            torch.cat([ours.to_query.weight, ours.to_key_value.weight])
        )
        reference.out_proj.weight.copy_(ours.proj.weight)
    query, context = torch.randn(3, 10, 16), torch.randn(3, 4, 16)
    expected, _ = reference(query, context, context, need_weights=False)
    assert torch.allclose(ours(query, context), expected, atol=1e-5)


def test_without_position_embedding_the_head_is_symmetric_in_time():
    """Self-attention is permutation-equivariant and |A - B| symmetric, so only
    the learned token positions tell the dates apart."""
    head = tiny_head(enc_with_pos=False).eval()
    feats_a, feats_b = feature_pair()
    assert torch.allclose(
        head((feats_a, feats_b)), head((feats_b, feats_a)), atol=1e-5
    )
    head_with_pos = tiny_head().eval()
    with torch.no_grad():
        head_with_pos.token_pos.normal_()
    assert not torch.allclose(
        head_with_pos((feats_a, feats_b)),
        head_with_pos((feats_b, feats_a)),
        atol=1e-5,
    )


def test_every_parameter_gets_a_gradient():
    head = tiny_head(dec_with_pos=True, dec_pos_size=4)
    head(feature_pair()).square().mean().backward()
    missing = [
        name
        for name, param in head.named_parameters()
        if param.grad is None or not param.grad.abs().sum()
    ]
    assert not missing


def test_one_level_only():
    with pytest.raises(ValueError, match='one feature level'):
        BITHead(
            in_channels=[8, 16],
            in_index=[0, 1],
            input_transform='multiple_select',
            num_classes=2,
        )
