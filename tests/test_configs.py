"""Every config under configs/ loads, follows its recipe, and builds with a tiny backbone.

The configs are discovered (no hand-kept list): a new config is tested as soon as it exists.
Each is recognised by its model type (:data:`TASKS`) and checked against one recipe table
(:data:`RECIPES`), taken from the papers:

* pretraining, SLFFM (Dong et al., "Generative ConvNet Foundation Model With Sparse
  Modeling and Low-Frequency Reconstruction for Remote Sensing Image Interpretation", IEEE TGRS
  2024), on SparK's recipe (Tian et al., ICLR 2023): LAMB, lr 2e-4 per 256 images, betas (0.9,
  0.95), weight decay cosine 0.04 -> 0.2, 5 warm-up epochs, 200 epochs, drop path 0.3 (B) /
  0.4 (L);
* fine-tuning, SLFFM: AdamW lr 1e-4, weight decay 0.05, drop path 0.4, layer-wise lr decay 0.9
  (BEiT, Bao et al., ICLR 2022) over ConvNeXt's stage-wise layers (Liu et al., CVPR 2022);
  Oriented R-CNN 12 epochs (Xie et al., ICCV 2021, mmrotate's 1x), UperNet 160k iterations
  (Xiao et al., ECCV 2018, mmseg's schedule), BIT 20k iterations (Chen et al., TGRS 2022). The
  warm-up lengths are the OpenMMLab conventions these configs follow.

Demo configs (``demo`` in the file name: tiny archs and a few iterations on the bundled data)
are exempt from the recipe rows; like every config they must load, keep the neck and head
widths consistent with the backbone, and build.
"""

from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import MODELS, init_default_scope

from mmslffm.testing import (
    REPO_ROOT,
    tiny_model_overrides,
    width_dependent_settings,
)

ALL_CONFIGS = sorted(
    path.relative_to(REPO_ROOT).as_posix()
    for path in (REPO_ROOT / 'configs').rglob('*.py')
    if '_base_' not in path.parts
)
# Model types whose recipes and builds have their own test file: the scene
# classifiers (mmpretrain ImageClassifier, ConvNeXt or ViT) and the MAE
# baseline (ViT), outside the ConvNeXt width rules of this file.
CHECKED_ELSEWHERE = {
    'ImageClassifier': 'tests/configs/test_scene_cls_configs.py',
    'MAE': 'tests/configs/test_scene_cls_configs.py',
}
CONFIGS = [
    name
    for name in ALL_CONFIGS
    if Config.fromfile(REPO_ROOT / name).model.type not in CHECKED_ELSEWHERE
]
# Small configs (``cpu-demo`` / ``tiny-demo`` in the name: demos on the bundled
# samples) load and build but keep their own short recipe.
RECIPE_CONFIGS = [name for name in CONFIGS if 'demo' not in Path(name).stem]

TASKS = {
    'mmslffm.SLFFM': 'pretrain',
    'mmdet.FasterRCNN': 'detection',  # Oriented R-CNN in mmrotate
    'EncoderDecoder': 'segmentation',  # UperNet in mmseg
    'mmslffm.SiameseEncoderDecoder': 'change_detection',  # BIT
}
SCOPES = dict(
    pretrain='mmpretrain',
    detection='mmrotate',
    segmentation='mmseg',
    change_detection='mmseg',
)
FINE_TUNING = dict(
    optimizer='AdamW',
    lr=1e-4,
    betas=(0.9, 0.999),
    weight_decay=0.05,
    layer_decay_rate=0.9,
    drop_path=dict(base=0.4, large=0.4),
)
RECIPES = {
    'pretrain': dict(
        optimizer='mmslffm.FusedLamb',
        lr_per_256=2e-4,
        betas=(0.9, 0.95),
        weight_decay=0.04,
        final_weight_decay=0.2,
        layer_decay_rate=None,
        drop_path=dict(base=0.3, large=0.4),
        max_epochs=200,
        warmup=dict(epochs=5),
    ),
    'detection': dict(FINE_TUNING, max_epochs=12, warmup=dict(iters=500)),
    'segmentation': dict(
        FINE_TUNING, max_iters=160000, warmup=dict(iters=1500)
    ),
    'change_detection': dict(
        FINE_TUNING, max_iters=20000, warmup=dict(iters=1000)
    ),
}
# Benchmark protocol per test dataset: classes, input side (DOTA: Xia et al.,
# CVPR 2018; DIOR-R: Cheng et al., TGRS 2022; ISPRS 2D labelling benchmark;
# LoveDA: Wang et al., NeurIPS 2021 D&B; LEVIR-CD: Chen & Shi, Remote Sens.
# 2020).
DATASETS = {
    'mmslffm.DOTAPatchDataset': dict(
        num_classes=15, size=1024, metric='mmslffm.DOTASceneMetric'
    ),
    'mmslffm.DIORRDataset': dict(
        num_classes=20, size=800, metric='mmslffm.RotatedVOCMetric'
    ),
    'PotsdamDataset': dict(
        num_classes=6,
        size=512,
        metric='mmslffm.SegmentationMetric',
        excluded=('clutter',),
    ),
    'ISPRSDataset':  # Vaihingen
    dict(
        num_classes=6,
        size=512,
        metric='mmslffm.SegmentationMetric',
        excluded=('clutter',),
    ),
    'LoveDADataset': dict(
        num_classes=7, size=512, metric='mmslffm.SegmentationMetric'
    ),
    'mmslffm.LEVIRCDDataset': dict(
        num_classes=2, size=256, metric='mmslffm.ChangeDetectionMetric'
    ),
}
# Fine-tuning configs whose backbone does not start from a pretrained SLFFM
# checkpoint, and why.
NO_PRETRAINED_BACKBONE = {
    'configs/levir_cd/bit_convnext-b-slffm_20k_levir-cd-slide1024.py': (
        'test only: all weights come from the checkpoint given to '
        'tools/test.py'
    ),
}


def _load(name: str) -> Config:
    return Config.fromfile(REPO_ROOT / name)


def _task(cfg: Config) -> str:
    assert cfg.model.type in TASKS, (
        f'model type {cfg.model.type!r} has no recipe: add it to TASKS and '
        'RECIPES in tests/test_configs.py'
    )
    return TASKS[cfg.model.type]


def test_configs_are_discovered():
    assert len(RECIPE_CONFIGS) >= 15 and len(CONFIGS) > len(RECIPE_CONFIGS)
    assert set(NO_PRETRAINED_BACKBONE) <= set(RECIPE_CONFIGS)


@pytest.mark.parametrize('name', sorted(set(ALL_CONFIGS) - set(CONFIGS)))
def test_configs_checked_elsewhere_are_discovered_there(name):
    """Each config left out here is one its own test file globs."""
    delegate = REPO_ROOT / CHECKED_ELSEWHERE[_load(name).model.type]
    folder = Path(name).parent.name
    text = delegate.read_text()
    assert Path(name).name in text or f"configs/{folder}'" in text, (
        f'{name} is tested by neither this file nor {delegate.name}'
    )


@pytest.mark.parametrize('name', CONFIGS)
def test_neck_and_head_widths_follow_the_backbone(name):
    """The per-stage widths written in a config match its backbone arch."""
    model = _load(name).model
    for key, expected in width_dependent_settings(model).items():
        value = model
        for part in key.split('.'):
            value = value[part]
        assert value == expected, f'{name}: model.{key}'


@pytest.mark.parametrize('name', RECIPE_CONFIGS)
def test_recipe(name):
    cfg = _load(name)
    recipe = RECIPES[_task(cfg)]
    optimizer = cfg.optim_wrapper.optimizer
    backbone = cfg.model.backbone
    assert optimizer.type == recipe['optimizer']
    assert tuple(optimizer.betas) == recipe['betas']
    assert optimizer.weight_decay == recipe['weight_decay']
    if 'lr_per_256' in recipe:  # scaled to the real batch by mmengine
        assert cfg.auto_scale_lr.enable
        assert (
            optimizer.lr * 256 / cfg.auto_scale_lr.base_batch_size
            == pytest.approx(recipe['lr_per_256'])
        )
    else:
        assert optimizer.lr == recipe['lr']
    assert backbone.drop_path_rate == recipe['drop_path'][backbone.arch]
    paramwise = cfg.optim_wrapper.get('paramwise_cfg') or {}
    assert paramwise.get('layer_decay_rate') == recipe['layer_decay_rate']
    if recipe['layer_decay_rate']:
        assert (
            cfg.optim_wrapper.constructor
            == 'mmslffm.BackboneLayerDecayOptimWrapperConstructor'
        )

    schedulers = cfg.param_scheduler
    unit, length = next(
        (key, recipe[key])
        for key in ('max_epochs', 'max_iters')
        if key in recipe
    )
    assert cfg.train_cfg[unit] == length
    by_epoch = unit == 'max_epochs'
    lr_ends = [
        s.end
        for s in schedulers
        if s.get('by_epoch', True) == by_epoch and 'WeightDecay' not in s.type
    ]
    assert max(lr_ends) == length, 'the lr schedule must span the training'
    warmup = schedulers[0]
    ((warmup_unit, warmup_length),) = recipe['warmup'].items()
    assert warmup.type == 'LinearLR' and warmup.begin == 0
    assert warmup.end == warmup_length
    assert warmup.by_epoch == (warmup_unit == 'epochs')
    if 'final_weight_decay' in recipe:
        (decay,) = [
            s for s in schedulers if s.type == 'CosineAnnealingWeightDecay'
        ]
        assert decay.eta_min == recipe['final_weight_decay']
        assert (decay.begin, decay.end) == (0, length)


@pytest.mark.parametrize('name', RECIPE_CONFIGS)
def test_benchmark_protocol(name):
    """Task-specific settings of the benchmarks the paper reports."""
    cfg = _load(name)
    task = _task(cfg)
    model = cfg.model
    assert cfg.default_scope == SCOPES[task]
    assert model.backbone.type == 'mmslffm.SparseConvNeXt'
    if task == 'pretrain':
        assert (model.mask_ratio, model.patch_size) == (0.6, 32)
        # SparK's raw-pixel target (radius None) is the ablation baseline
        expected = None if Path(name).stem.startswith('spark') else 40
        assert model.target_generator.radius == expected
        return
    if name in NO_PRETRAINED_BACKBONE:
        assert model.backbone.init_cfg is None
    else:
        assert model.backbone.init_cfg.type == 'Pretrained'
        assert model.backbone.init_cfg.checkpoint.endswith('.pth')
    dataset = DATASETS[cfg.test_dataloader.dataset.type]
    assert cfg.test_evaluator.type == dataset['metric']
    if cfg.get('val_evaluator'):
        assert cfg.val_evaluator.type == dataset['metric']
    if task == 'detection':
        assert model.rpn_head.bbox_coder.angle_version == 'le90'
        assert model.roi_head.bbox_head.num_classes == dataset['num_classes']
        (resize,) = [t for t in cfg.train_pipeline if t.type == 'mmdet.Resize']
        assert resize.scale == (dataset['size'],) * 2
        assert cfg.test_evaluator.get('eval_mode', '11points') == '11points'
    elif task == 'segmentation':
        assert model.decode_head.num_classes == dataset['num_classes']
        assert model.auxiliary_head.num_classes == dataset['num_classes']
        assert tuple(
            cfg.test_evaluator.get('exclude_classes', ())
        ) == dataset.get('excluded', ())
        assert cfg.crop_size == (dataset['size'],) * 2
        assert model.test_cfg == dict(
            mode='slide', crop_size=(512, 512), stride=(341, 341)
        )  # the reference's
    elif task == 'change_detection':
        head = model.decode_head
        assert head.in_index == 0  # the stride-4 stage, as BIT's ResNet
        assert (
            head.token_len,
            head.enc_depth,
            head.dec_depth,
            head.num_heads,
        ) == (4, 1, 8, 8)
        assert cfg.train_dataloader.batch_size == 8
        assert cfg.crop_size == (dataset['size'],) * 2
        if model.test_cfg.mode == 'slide':  # whole 1024 images, tile grid
            assert model.test_cfg.crop_size == (dataset['size'],) * 2
            assert model.test_cfg.stride == (dataset['size'],) * 2


def _tiny_model(cfg: Config) -> torch.nn.Module:
    cfg.merge_from_dict(tiny_model_overrides(cfg.model))
    model_cfg = cfg.model
    if 'data_preprocessor' in cfg:  # as mmengine's Runner does
        model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    init_default_scope(cfg.default_scope)
    torch.manual_seed(0)
    return MODELS.build(model_cfg).eval()


@pytest.mark.parametrize('name', CONFIGS)
def test_builds_and_runs_with_a_tiny_backbone(name):
    cfg = _load(name)
    task = _task(cfg)
    model = _tiny_model(cfg)
    images = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        if task == 'pretrain':
            active = model.draw_mask(images)
            assert model.reconstruct(images, active).shape == images.shape
        elif task == 'detection':
            features = model.extract_feat(images)
            assert [f.shape[1] for f in features] == [
                cfg.model.neck.out_channels
            ] * cfg.model.neck.num_outs
        else:
            channels = 6 if task == 'change_detection' else 3
            logits = model(torch.rand(1, channels, 64, 64), mode='tensor')
            assert logits.shape[:2] == (1, cfg.model.decode_head.num_classes)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    lrs = {group['lr'] for group in wrapper.optimizer.param_groups}
    base_lr = cfg.optim_wrapper.optimizer.lr
    assert max(lrs) == pytest.approx(base_lr)
    rate = (cfg.optim_wrapper.get('paramwise_cfg') or {}).get(
        'layer_decay_rate'
    )
    if rate:  # stem at depth 0 of the backbone's stage-wise layers
        _, num_layers = model.backbone.get_layer_depth(
            'backbone.downsample_layers.0.0.weight', 'backbone.'
        )
        assert min(lrs) == pytest.approx(base_lr * rate ** (num_layers - 1))
