import glob

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmslffm.datasets import read_image
from mmslffm.models.backbones import SparseConvNeXt
from mmslffm.models.utils import ActiveSites
from mmslffm.registry import MODELS
from mmslffm.testing import DEMO_DATA, REPO_ROOT


def build_slffm(arch='test', feature_dim=64, **overrides):
    """The demo config's SLFFM with a tiny encoder and decoder."""
    init_default_scope('mmpretrain')
    cfg = Config.fromfile(
        REPO_ROOT
        / 'configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py'
    )
    model_cfg = cfg.model
    model_cfg.data_preprocessor = cfg.data_preprocessor
    model_cfg.backbone.update(arch=arch, drop_path_rate=0.0)
    model_cfg.neck.feature_dim = feature_dim
    model_cfg.update(overrides)
    return MODELS.build(model_cfg)


def bundled_images(count=4, size=128):
    files = sorted(glob.glob(str(DEMO_DATA / 'pretrain_unlabeled/*.jpg')))
    step = len(files) // count
    crops = [read_image(f)[:size, :size] for f in files[::step][:count]]
    return torch.from_numpy(np.stack(crops)).permute(0, 3, 1, 2)


def normalized(model, images):
    data = model.data_preprocessor(
        dict(inputs=[images], data_samples=None), False
    )
    inputs = data['inputs']
    return inputs[0] if isinstance(inputs, list) else inputs


def test_masks_keep_20_of_49_patches_per_sample():
    model = build_slffm()
    active = model.draw_mask(torch.zeros(16, 3, 224, 224))
    assert active.shape == (16, 1, 7, 7) and active.dtype == torch.bool
    assert (active.sum((1, 2, 3)) == 20).all()
    assert len({tuple(a.flatten().tolist()) for a in active}) == 16


def test_loss_ignores_visible_patches_and_counts_hidden_ones():
    model = build_slffm()
    gen = torch.Generator().manual_seed(0)
    images = torch.randn(2, 3, 224, 224, generator=gen)
    active = model.draw_mask(images)
    target = model.target_generator(images)
    prediction = torch.randn(2, 3, 224, 224, generator=gen)
    visible = active.repeat_interleave(32, 2).repeat_interleave(32, 3)
    noise = torch.randn(2, 3, 224, 224, generator=gen)
    loss = model.head(prediction, target, active)
    assert (
        model.head(
            torch.where(visible, prediction + noise, prediction),
            target,
            active,
        )
        == loss
    )
    assert (
        model.head(
            torch.where(visible, prediction, prediction + noise),
            target,
            active,
        )
        != loss
    )
    # by hand: per-patch MSE, averaged over hidden patches only
    squared = (prediction - target).pow(2).reshape(2, 3, 7, 32, 7, 32)
    per_patch = squared.mean(dim=(1, 3, 5)).flatten(1)
    hidden = ~active.flatten(1)
    torch.testing.assert_close(loss, per_patch[hidden].mean())


def test_target_normalization_comes_from_the_data_preprocessor():
    model = build_slffm()
    torch.testing.assert_close(
        model.target_generator.mean.flatten(),
        torch.tensor([123.675, 116.28, 103.53]),
    )


def test_two_models_do_not_share_a_mask():
    """The mask is an argument: interleaved calls give isolated results."""
    torch.manual_seed(0)
    first, second = SparseConvNeXt(arch='test'), SparseConvNeXt(arch='test')
    x = torch.randn(2, 3, 64, 64)
    mask_a = torch.tensor([[1, 0], [0, 1]], dtype=torch.bool).expand(
        2, 1, 2, 2
    )
    mask_b = ~mask_a
    with torch.no_grad():
        alone = first(x, mask_a)[-1]
        second(x, mask_b)
        interleaved = first(x, mask_a)[-1]
    torch.testing.assert_close(alone, interleaved, atol=0, rtol=0)


def test_densify_fills_hidden_sites_with_level_tokens():
    model = build_slffm()
    maps = [torch.randn(1, c, s, s) for c, s in ((64, 2), (32, 4))]
    active = torch.tensor([[[[True, False], [False, False]]]])
    sites = ActiveSites(active, (64, 64))
    densify = model.densify
    dense = densify(
        maps + [torch.zeros(1, 16, 8, 8), torch.zeros(1, 8, 16, 16)], sites
    )
    expected0 = densify.projections[0](
        torch.where(
            sites.mask((2, 2)),
            densify.norms[0](maps[0]),
            densify.mask_tokens[0],
        )
    )
    torch.testing.assert_close(dense[0], expected0)
    assert [tuple(d.shape) for d in dense] == [
        (1, 64, 2, 2),
        (1, 32, 4, 4),
        (1, 16, 8, 8),
        (1, 8, 16, 16),
    ]


def _loss_and_gradients(model, images, active):
    model.zero_grad(set_to_none=True)
    target = model.target_generator(images)
    prediction = model.reconstruct(images, active)
    loss = model.head(prediction, target, active)
    loss.backward()
    gradients = {
        name: param.grad.double()
        for name, param in model.named_parameters()
        if param.grad is not None
    }
    return loss.item(), prediction, gradients


def test_channels_last_decoder_agrees_with_a_float64_reference():
    """The channels-last decoder sums in another order than channels-first:
    not bit-identical, but within float32 noise of an exact reference."""
    torch.manual_seed(0)
    model = build_slffm()
    model.init_weights()
    decoder_convs = [  # 1x1 weights are contiguous in both layouts
        m
        for m in model.neck.modules()
        if isinstance(m, torch.nn.Conv2d) and m.kernel_size != (1, 1)
    ]
    assert all(
        conv.weight.is_contiguous(memory_format=torch.channels_last)
        and not conv.weight.is_contiguous()
        for conv in decoder_convs
    )
    reference = build_slffm(channels_last_decoder=False)
    reference.load_state_dict(model.state_dict())
    reference.double()
    assert reference.neck.decoder[0].upsample.weight.is_contiguous()
    images = normalized(model, bundled_images(4, 128))
    active = model.draw_mask(images)
    exact_loss, _, exact = _loss_and_gradients(
        reference, images.double(), active
    )
    loss, prediction, gradients = _loss_and_gradients(model, images, active)
    assert prediction.is_contiguous(memory_format=torch.channels_last)
    # measured: loss 2.5e-6 relative, gradients at most 1.2e-4 in norm
    # (channels-first float32: 5e-8 and 2.4e-5); channels-last oneDNN and
    # batch norm kernels reduce long spatial sums with less care
    assert loss == pytest.approx(exact_loss, rel=2e-5)
    assert gradients.keys() == exact.keys()
    for name, gradient in gradients.items():
        error = (gradient - exact[name]).norm() / exact[name].norm()
        assert error < 1e-3, (name, error.item())


def test_loss_falls_on_bundled_tiles():
    """Seeded: 100 CPU iterations on 4 real tiles, tiny encoder."""
    torch.manual_seed(0)
    model = build_slffm()
    model.init_weights()
    images = normalized(model, bundled_images())
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=3e-3, weight_decay=0.0
    )
    losses = []
    for _ in range(100):
        loss = model.loss(images, None)['loss']
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    final = np.mean(losses[-10:])
    assert final < losses[0] * 2 / 3, losses
    # and below predicting zero (mean squared target, ~1 per patch)
    assert final < 0.97, losses


@pytest.mark.parametrize('bad', [dict(mask_ratio=1.0)])
def test_bad_mask_ratio(bad):
    with pytest.raises(ValueError, match='mask_ratio'):
        build_slffm(**bad)
