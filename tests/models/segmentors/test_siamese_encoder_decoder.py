"""Siamese segmentor plumbing: shared backbone, A/B symmetry, loss, predict, slide."""

import copy

import pytest
import torch
from mmengine.config import Config, ConfigDict
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmslffm.registry import MODELS

pytestmark = pytest.mark.usefixtures('mmseg_scope')

CONFIG = 'configs/levir_cd/bit_convnext-test_tiny-demo_levir-cd.py'


@pytest.fixture(scope='module')
def model_cfg() -> ConfigDict:
    return Config.fromfile(CONFIG).model


def build(model_cfg, **test_cfg):
    cfg = copy.deepcopy(model_cfg)
    if test_cfg:
        cfg.test_cfg = ConfigDict(test_cfg)
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    return model.eval()


def test_swapping_a_and_b_swaps_the_features_fed_to_the_head(model_cfg):
    model = build(model_cfg)
    captured = []
    head_forward = model.decode_head.forward  # mmseg calls it directly

    def recording_forward(inputs):
        captured.append(inputs)
        return head_forward(inputs)

    model.decode_head.forward = recording_forward
    pair = torch.randn(2, 6, 64, 64)
    swapped = torch.cat([pair[:, 3:], pair[:, :3]], dim=1)
    with torch.no_grad():
        model._forward(pair)
        model._forward(swapped)
    (feats_a, feats_b), (swapped_a, swapped_b) = captured
    assert feats_a[0].shape == (2, 8, 16, 16)
    assert not torch.allclose(feats_a[0], feats_b[0])
    assert torch.allclose(swapped_a[0], feats_b[0], atol=1e-6)
    assert torch.allclose(swapped_b[0], feats_a[0], atol=1e-6)


def test_both_dates_see_the_same_backbone(model_cfg):
    model = build(model_cfg)
    image = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        feats_a, feats_b = model.extract_feat(torch.cat([image, image], 1))
        alone = model.backbone(image)
    assert torch.allclose(feats_a[0], feats_b[0], atol=1e-6)
    assert torch.allclose(feats_a[0], alone[0], atol=1e-6)


def test_inputs_must_be_a_pair(model_cfg):
    model = build(model_cfg)
    with pytest.raises(ValueError, match='concatenated on channels'):
        model.extract_feat(torch.randn(1, 3, 64, 64))


def labelled_samples(batch, size):
    samples = []
    for _ in range(batch):
        sample = SegDataSample(
            metainfo=dict(
                img_shape=(size, size),
                ori_shape=(size, size),
                pad_shape=(size, size),
            )
        )
        sample.gt_sem_seg = PixelData(
            data=torch.randint(0, 2, (1, size, size))
        )
        samples.append(sample)
    return samples


def test_loss_and_backward(model_cfg):
    model = build(model_cfg).train()
    losses = model.loss(torch.randn(2, 6, 64, 64), labelled_samples(2, 64))
    assert torch.isfinite(losses['decode.loss_ce'])
    losses['decode.loss_ce'].backward()
    assert model.decode_head.token_pos.grad is not None
    assert model.backbone.stages[0][0].depthwise_conv.weight.grad is not None


def test_predict_returns_binary_change_maps(model_cfg):
    model = build(model_cfg)
    with torch.no_grad():
        results = model.predict(
            torch.randn(2, 6, 64, 64), labelled_samples(2, 64)
        )
    prediction = results[0].pred_sem_seg.data
    assert prediction.shape == (1, 64, 64)
    assert set(prediction.unique().tolist()) <= {0, 1}


def test_slide_inference_on_a_large_pair_equals_its_tiles(model_cfg):
    """Non-overlapping 64 windows over 128x128 == predicting the 4 tiles."""
    model = build(model_cfg, mode='slide', crop_size=(64, 64), stride=(64, 64))
    pair = torch.randn(1, 6, 128, 128)
    with torch.no_grad():
        large = model.predict(pair)[0].seg_logits.data
        model.test_cfg = ConfigDict(mode='whole')
        for y in (0, 64):
            for x in (0, 64):
                tile = model.predict(pair[..., y : y + 64, x : x + 64])
                assert torch.allclose(
                    tile[0].seg_logits.data,
                    large[:, y : y + 64, x : x + 64],
                    atol=1e-5,
                )
