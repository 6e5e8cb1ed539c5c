"""Scene classification and MIM-baseline configs: protocols, recipes, and they build."""

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmpretrain.registry import MODELS

from mmslffm.testing import REPO_ROOT as REPO

SCENE_CONFIGS = sorted((REPO / 'configs/scene_cls').glob('*.py'))
DEMO_CONFIG = 'configs/scene_cls/cls_convnext-atto-slffm_cpu-demo_ucm-mini.py'
DEMO_PRETRAINING = (
    'configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py'
)
PROTOCOLS = {  # config dataset suffix: (classes, split folder)
    'ucm-tr80': (21, 'ucm_train80_seed0'),
    'aid-tr20': (30, 'aid_train20_seed0'),
    'aid-tr50': (30, 'aid_train50_seed0'),
    'nwpu-tr10': (45, 'nwpu_train10_seed0'),
    'nwpu-tr20': (45, 'nwpu_train20_seed0'),
}


def _tiny(cfg):
    if cfg.model.backbone.type == 'VisionTransformer':
        cfg.model.backbone.update(
            arch=dict(
                embed_dims=64,
                num_layers=2,
                num_heads=2,
                feedforward_channels=64,
            ),
            img_size=64,
            init_cfg=None,
        )
    else:
        cfg.model.backbone.update(arch='test', init_cfg=None)
    cfg.model.head.in_channels = 64
    return cfg


@pytest.mark.parametrize('path', SCENE_CONFIGS, ids=lambda p: p.name)
def test_scene_config_builds_and_trains_a_step(path):
    cfg = _tiny(Config.fromfile(str(path)))
    init_default_scope(cfg.default_scope)
    model = MODELS.build(cfg.model)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    inputs = torch.randn(2, 3, 64, 64)
    from mmpretrain.structures import DataSample

    samples = [DataSample().set_gt_label(i) for i in (0, 1)]
    losses = model(inputs, samples, mode='loss')
    wrapper.update_params(sum(losses.values()))
    # layer-wise decay: the stem learns slower than the head
    rates = {
        g['param_names'][0] if 'param_names' in g else i: g['lr']
        for i, g in enumerate(wrapper.optimizer.param_groups)
    }
    assert min(rates.values()) < max(rates.values())


@pytest.mark.parametrize('dataset', sorted(PROTOCOLS))
def test_protocol_of_each_dataset(dataset):
    classes, split = PROTOCOLS[dataset]
    for size, channels in (('b', 1024), ('l', 1536)):
        name = f'cls_convnext-{size}-slffm_100e_{dataset}.py'
        cfg = Config.fromfile(str(REPO / 'configs/scene_cls' / name))
        assert cfg.model.head.num_classes == classes
        assert cfg.data_preprocessor.num_classes == classes
        assert cfg.model.head.in_channels == channels
        assert cfg.model.backbone.init_cfg.type == 'Pretrained'
        for loader, part in (
            (cfg.train_dataloader, 'train'),
            (cfg.val_dataloader, 'test'),
            (cfg.test_dataloader, 'test'),
        ):
            assert (
                loader.dataset.ann_file == f'scene_splits/{split}/{part}.txt'
            )
            assert (
                loader.dataset.classes
                == f'data/scene_splits/{split}/classes.txt'
            )
        assert cfg.optim_wrapper.optimizer.type == 'AdamW'
        assert (
            cfg.optim_wrapper.constructor
            == 'LearningRateDecayOptimWrapperConstructor'
        )
        assert cfg.test_evaluator.type == 'mmslffm.SceneClassificationMetric'


def test_demo_config_points_at_bundled_lists():
    cfg = Config.fromfile(str(REPO / DEMO_CONFIG))
    for loader in (cfg.train_dataloader, cfg.test_dataloader):
        assert (REPO / loader.dataset.ann_file).is_file()
        assert (REPO / loader.dataset.data_prefix).is_dir()
    assert (REPO / cfg.train_dataloader.dataset.classes).is_file()


@pytest.mark.parametrize(
    'name,overrides',
    [
        (
            'spark_convnext-b_200e_geosense.py',
            {
                'model.backbone.arch': 'test',
                'model.neck.feature_dim': 64,
                'model.neck.norm_cfg': dict(type='BN'),
            },
        ),
        ('spark_convnext-atto_cpu-demo_bundled-tiles.py', {}),
        (
            'mae_vit-b_200e_geosense.py',
            {
                'model.backbone.arch': dict(
                    _delete_=True,
                    embed_dims=32,
                    num_layers=1,
                    num_heads=2,
                    feedforward_channels=64,
                ),
                'model.neck.embed_dim': 32,
                'model.neck.decoder_embed_dim': 16,
                'model.neck.decoder_depth': 1,
                'model.neck.decoder_num_heads': 2,
            },
        ),
        ('mae_vit-atto_cpu-demo_bundled-tiles.py', {}),
    ],
)
def test_mim_baseline_config_builds_and_gives_a_loss(name, overrides):
    cfg = Config.fromfile(str(REPO / 'configs/pretrain' / name))
    cfg.merge_from_dict(overrides)
    init_default_scope(cfg.default_scope)
    cfg.model.data_preprocessor = cfg.data_preprocessor
    model = MODELS.build(cfg.model)
    if name.startswith('spark'):
        assert model.target_generator.radius is None
    images = torch.randn(2, 3, 224, 224)
    losses = model.loss(images, [None, None])
    assert torch.isfinite(losses['loss'])


def test_demo_pretraining_runs_the_knn_monitor():
    cfg = Config.fromfile(str(REPO / DEMO_PRETRAINING))
    monitors = [
        h for h in cfg.custom_hooks if h['type'] == 'mmslffm.KNNMonitorHook'
    ]
    assert len(monitors) == 1
    assert (REPO / monitors[0]['data_root']).is_dir()
