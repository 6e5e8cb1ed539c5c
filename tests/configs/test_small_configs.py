"""The small CPU configs: the README's one option gives them a pretrained backbone.

A real backbone is made the way a user makes one: an SLFFM pretraining checkpoint (ConvNeXt-atto
under ``backbone.``, plus decoder keys) through ``export_backbone`` (tools/extract_backbone.py).
"""

from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope

from mmslffm.apis import export_backbone
from mmslffm.models.backbones import SparseConvNeXt

REPO = Path(__file__).resolve().parents[2]
SMALL_CONFIGS = [
    'dota/oriented-rcnn-le90_convnext-atto-slffm_fpn_cpu-demo_dota.py',
    'dior/oriented-rcnn-le90_convnext-atto-slffm_fpn_cpu-demo_dior-r.py',
    'potsdam/upernet_convnext-atto-slffm_cpu-demo_potsdam.py',
    'loveda/upernet_convnext-atto-slffm_cpu-demo_loveda.py',
    'vaihingen/upernet_convnext-atto-slffm_cpu-demo_vaihingen.py',
    'levir_cd/bit_convnext-atto-slffm_cpu-demo_levir-cd.py',
]


@pytest.fixture(scope='module')
def atto_backbone(tmp_path_factory) -> tuple:
    """(extracted backbone path, its weights) from a pretraining-like checkpoint."""
    root = tmp_path_factory.mktemp('pretrain')
    torch.manual_seed(0)
    pretrained = SparseConvNeXt(arch='atto')
    state = {
        f'backbone.{k}': v + 0.5
        for k, v in pretrained.state_dict().items()
        if not k.startswith('norm')
    }
    state['decoder.dec.0.weight'] = torch.zeros(2, 2)
    torch.save(dict(state_dict=state), root / 'iter_120.pth')
    export_backbone(
        str(root / 'iter_120.pth'),
        str(root / 'backbone.pth'),
        prefix='backbone.',
    )
    weights = {
        k[len('backbone.') :]: v
        for k, v in state.items()
        if k.startswith('backbone.')
    }
    return str(root / 'backbone.pth'), weights


def _build(name: str, options: dict):
    cfg = Config.fromfile(REPO / 'configs' / name)
    cfg.merge_from_dict(options)
    init_default_scope(cfg.default_scope)
    model = MODELS.build(cfg.model)
    model.init_weights()
    return cfg, model


@pytest.mark.parametrize('name', SMALL_CONFIGS)
def test_pretrained_backbone_through_the_readme_option(name, atto_backbone):
    path, weights = atto_backbone
    _, model = _build(name, {'model.backbone.init_cfg.checkpoint': path})
    loaded = model.backbone.state_dict()
    for key, value in weights.items():
        torch.testing.assert_close(loaded[key], value)


@pytest.mark.parametrize('name', SMALL_CONFIGS)
def test_without_a_checkpoint_the_backbone_is_random(name, atto_backbone):
    _, weights = atto_backbone
    cfg, model = _build(name, {})
    assert cfg.model.backbone.init_cfg == dict(
        type='Pretrained', checkpoint=None
    )
    stem = model.backbone.state_dict()['downsample_layers.0.0.weight']
    assert not torch.allclose(stem, weights['downsample_layers.0.0.weight'])
    assert stem.std() < 0.1  # mmpretrain's trunc-normal(0.02) init


@pytest.mark.parametrize('name', SMALL_CONFIGS)
def test_short_schedules_warm_up_over_a_tenth(name):
    cfg = Config.fromfile(REPO / 'configs' / name)
    warmup = cfg.param_scheduler[0]
    assert warmup['type'] == 'LinearLR'
    assert warmup['end'] == cfg.train_cfg.max_iters // 10 > 0
    assert cfg.param_scheduler[-1]['end'] == cfg.train_cfg.max_iters
    assert cfg.model.backbone.arch == 'atto'  # what `make demo` pretrains


def test_small_config_fine_tunes_through_train_py(
    tmp_path, atto_backbone, tool
):
    path, _ = atto_backbone
    proc = tool(
        [
            'tools/train.py',
            'configs/levir_cd/bit_convnext-atto-slffm_cpu-demo_levir-cd.py',
            '--work-dir',
            str(tmp_path / 'work'),
            '--cfg-options',
            f'model.backbone.init_cfg.checkpoint={path}',
            'train_cfg.max_iters=2',
            'train_cfg.val_interval=2',
            'default_hooks.logger.interval=1',
            '--vis-backend',
            'local',
            'tensorboard',
        ],
        cwd=REPO,
    )
    log = proc.stdout + proc.stderr
    assert f'loaded {path}: ' in log and '(100.0% of backbone weights)' in log
    assert 'paramwise_options' not in log
    assert 'layer-wise lr decay 0.9; optimizer AdamW: ' in log
    assert 'Iter(train) [2/2]' in log
    assert list((tmp_path / 'work').glob('*/vis_data/events.out.tfevents.*'))
    assert list((tmp_path / 'work').glob('*/vis_data/scalars.json'))
