"""Global embeddings equal mmpretrain's pooled outputs; checkpoints of every kind load; caching."""

import numpy as np
import pytest
import torch
from mmpretrain.models import ConvNeXt, VisionTransformer
from mmpretrain.models.selfsup import MAEViT

from mmslffm.evaluation.representation import (
    build_encoder,
    cached_features,
    feature_key,
    pooled_embedding,
)
from mmslffm.models.backbones import SparseConvNeXt

TINY = dict(depths=[1, 1, 2, 1], channels=[8, 16, 32, 64])
TINY_VIT = dict(
    embed_dims=32, num_layers=2, num_heads=2, feedforward_channels=64
)


@pytest.fixture
def images():
    torch.manual_seed(0)
    return torch.randn(2, 3, 64, 64)


def _trained_looking(module):
    """Random non-default values everywhere (norms included)."""
    torch.manual_seed(1)
    with torch.no_grad():
        for p in module.parameters():
            p.normal_(0, 0.2)
    module.eval()
    return module


def test_convnext_equals_mmpretrain_gap_before_final_norm(images):
    ours = _trained_looking(SparseConvNeXt(arch=TINY, out_indices=(3,)))
    theirs = ConvNeXt(arch=TINY, out_indices=(3,), gap_before_final_norm=True)
    theirs.load_state_dict(ours.state_dict())
    theirs.eval()  # mmpretrain's ConvNeXt.train returns None: not chained
    with torch.no_grad():
        expected = theirs(images)[0]
    assert torch.allclose(pooled_embedding(ours, images), expected, atol=1e-5)
    assert torch.allclose(
        pooled_embedding(theirs, images), expected, atol=1e-5
    )


def test_convnext_without_out_norm_uses_an_identity_norm(images):
    pretraining = _trained_looking(SparseConvNeXt(arch=TINY, out_indices=()))
    exported = SparseConvNeXt(
        arch=TINY, out_indices=(3,), gap_before_final_norm=True
    ).eval()
    exported.load_state_dict(pretraining.state_dict(), strict=False)
    with torch.no_grad():
        exported.norm3.weight.fill_(1.0)
        exported.norm3.bias.zero_()
        expected = exported(images)[0]
    assert torch.allclose(
        pooled_embedding(pretraining, images), expected, atol=1e-5
    )


def test_vit_and_maevit_average_the_normed_patch_tokens(images):
    vit = _trained_looking(
        VisionTransformer(
            arch=TINY_VIT, img_size=64, patch_size=16, out_type='raw'
        )
    )
    featmap = VisionTransformer(
        arch=TINY_VIT, img_size=64, patch_size=16, out_type='featmap'
    )
    mae = MAEViT(arch=TINY_VIT, img_size=64, patch_size=16)
    for other in (featmap, mae):
        other.load_state_dict(vit.state_dict())
        other.eval()
    with torch.no_grad():
        expected = featmap(images)[0].mean([-2, -1])
    assert torch.allclose(pooled_embedding(vit, images), expected, atol=1e-5)
    assert torch.allclose(pooled_embedding(mae, images), expected, atol=1e-5)


def _save(tmp_path, name, state_dict):
    path = tmp_path / name
    torch.save(dict(state_dict=state_dict), path)
    return str(path)


def test_build_encoder_takes_the_backbone_of_a_pretraining_checkpoint(
    tmp_path, images
):
    backbone = _trained_looking(SparseConvNeXt(arch=TINY, out_indices=()))
    full = {f'backbone.{k}': v for k, v in backbone.state_dict().items()}
    full['neck.decoder.0.weight'] = torch.zeros(3)
    full['mask_tokens.0'] = torch.zeros(1, 64, 1, 1)
    encoder, description = build_encoder(_save(tmp_path, 'full.pth', full))
    assert description.startswith('ConvNeXt depths [1, 1, 2, 1]')
    assert torch.allclose(
        pooled_embedding(encoder, images),
        pooled_embedding(backbone, images),
        atol=1e-5,
    )
    assert not any(p.requires_grad for p in encoder.parameters())


def test_build_encoder_reads_a_vit_and_its_shape(tmp_path, images):
    mae = _trained_looking(MAEViT(arch=TINY_VIT, img_size=64, patch_size=16))
    full = {f'backbone.{k}': v for k, v in mae.state_dict().items()}
    full['neck.mask_token'] = torch.zeros(1, 1, 16)
    encoder, description = build_encoder(
        _save(tmp_path, 'mae.pth', full), vit_num_heads=2
    )
    assert description == 'ViT 32d x 2 layers, patch 16'
    assert torch.allclose(
        pooled_embedding(encoder, images),
        pooled_embedding(mae, images),
        atol=1e-5,
    )


def test_build_encoder_refuses_other_models(tmp_path):
    path = _save(
        tmp_path, 'detector.pth', {'roi_head.fc.weight': torch.zeros(2, 2)}
    )
    with pytest.raises(ValueError, match='neither a ConvNeXt nor a ViT'):
        build_encoder(path)


def test_cache_key_follows_checkpoint_bytes_images_and_settings(tmp_path):
    ckpt, image = tmp_path / 'a.pth', tmp_path / 'x.png'
    ckpt.write_bytes(b'one')
    image.write_bytes(b'pixels')
    key = feature_key(str(ckpt), [str(image)], dict(size=224))
    assert key == feature_key(str(ckpt), [str(image)], dict(size=224))
    assert key != feature_key(str(ckpt), [str(image)], dict(size=160))
    assert key != feature_key(str(ckpt), [], dict(size=224))
    ckpt.write_bytes(b'two')
    assert key != feature_key(str(ckpt), [str(image)], dict(size=224))


def test_cached_features_are_computed_once(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return np.arange(6, dtype=np.float32).reshape(2, 3)

    first = cached_features('k', compute, str(tmp_path))
    second = cached_features('k', compute, str(tmp_path))
    assert len(calls) == 1 and np.array_equal(first, second)
