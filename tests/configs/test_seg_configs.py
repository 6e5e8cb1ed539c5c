"""The segmentation configs build at their real size and keep the recipe."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import MODELS, init_default_scope

REPO = Path(__file__).resolve().parents[2]
CONFIGS = {
    'potsdam/upernet_slffm_b.py': (6, 128),
    'potsdam/upernet_slffm_l.py': (6, 192),
    'loveda/upernet_slffm_b.py': (7, 128),
    'loveda/upernet_slffm_l.py': (7, 192),
    'vaihingen/upernet_slffm_b.py': (6, 128),
    'vaihingen/upernet_slffm_l.py': (6, 192),
}
BUILT = ('potsdam/upernet_slffm_b.py', 'loveda/upernet_slffm_l.py')


def _build(name: str):
    cfg = Config.fromfile(REPO / 'configs' / name)
    cfg.model.backbone.init_cfg = None
    init_default_scope(cfg.default_scope)
    return cfg, MODELS.build(cfg.model)


@pytest.mark.parametrize('name', sorted(CONFIGS))
def test_config_builds_and_keeps_the_recipe(name):
    num_classes, stem_width = CONFIGS[name]
    cfg = Config.fromfile(REPO / 'configs' / name)
    assert cfg.default_scope == 'mmseg'
    assert cfg.model.backbone.type == 'mmslffm.SparseConvNeXt'
    assert cfg.model.backbone.drop_path_rate == 0.4
    assert cfg.model.backbone.out_indices == (0, 1, 2, 3)
    assert cfg.optim_wrapper.optimizer == dict(
        type='AdamW', lr=1e-4, betas=(0.9, 0.999), weight_decay=0.05)
    assert cfg.optim_wrapper.paramwise_cfg.layer_decay_rate == 0.9
    assert cfg.train_cfg.max_iters == 160000
    assert cfg.model.test_cfg == dict(mode='slide', crop_size=(512, 512),
                                      stride=(341, 341))
    assert cfg.model.decode_head.in_channels[0] == stem_width
    assert cfg.model.decode_head.num_classes == num_classes
    assert cfg.model.auxiliary_head.num_classes == num_classes
    assert cfg.model.auxiliary_head.in_channels == stem_width * 4
    assert cfg.model.backbone.init_cfg.checkpoint == cfg.slffm_checkpoint


@pytest.mark.parametrize('name', BUILT)
def test_config_model_runs_at_real_size(name):
    num_classes, stem_width = CONFIGS[name]
    _, model = _build(name)
    assert model.backbone.channels[0] == stem_width
    model.eval()
    with torch.no_grad():
        logits = model(torch.rand(1, 3, 64, 64), mode='tensor')
    assert logits.shape == (1, num_classes, 16, 16)


def test_layer_decay_reaches_the_segmentor_backbone():
    cfg, model = _build('potsdam/upernet_slffm_b.py')
    groups = build_optim_wrapper(model, cfg.optim_wrapper).param_groups
    lr = {group.get('param_name'): group['lr'] for group in groups}
    # mmpretrain's stage-wise ConvNeXt grouping: stem 13 steps below the heads
    assert lr['backbone.downsample_layers.0.0.weight'] == pytest.approx(
        1e-4 * 0.9**13)
    assert lr['backbone.stages.3.0.gamma'] == pytest.approx(1e-4 * 0.9)
    assert lr['decode_head.conv_seg.weight'] == pytest.approx(1e-4)
