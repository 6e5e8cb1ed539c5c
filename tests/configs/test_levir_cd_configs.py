"""The LEVIR-CD configs parse, state the recipe, and build (backbone randomly initialised)."""
import pytest
from mmengine.config import Config

from mmslffm.registry import MODELS

RECIPES = {'configs/levir_cd/bit_slffm_b.py': ('base', 128),
           'configs/levir_cd/bit_slffm_l.py': ('large', 192)}


@pytest.mark.parametrize('path', sorted(RECIPES))
def test_recipe(path):
    cfg = Config.fromfile(path)
    arch, stage0_channels = RECIPES[path]
    backbone, head = cfg.model.backbone, cfg.model.decode_head
    assert cfg.default_scope == 'mmseg'
    assert backbone.type == 'mmslffm.SparseConvNeXt' and backbone.arch == arch
    assert backbone.drop_path_rate == 0.4
    assert backbone.init_cfg.type == 'Pretrained'
    assert (head.in_channels, head.in_index) == (stage0_channels, 0)
    assert (head.token_len, head.enc_depth, head.dec_depth,
            head.num_heads) == (4, 1, 8, 8)
    assert cfg.train_dataloader.batch_size == 8
    assert cfg.train_cfg.max_iters == 20000
    assert cfg.optim_wrapper.optimizer.type == 'AdamW'
    assert cfg.optim_wrapper.optimizer.lr == 1e-4
    assert cfg.optim_wrapper.optimizer.weight_decay == 0.05
    assert cfg.optim_wrapper.paramwise_cfg.layer_decay_rate == 0.9
    assert cfg.test_evaluator.type == 'mmslffm.ChangeDetectionMetric'


@pytest.mark.parametrize('path', sorted(RECIPES))
def test_head_reads_the_width_of_backbone_stage_0(path):
    cfg = Config.fromfile(path)
    backbone = MODELS.get('mmslffm.SparseConvNeXt')
    channels = backbone.arch_settings[cfg.model.backbone.arch]['channels']
    assert cfg.model.decode_head.in_channels == channels[0]


def test_slide_config_tests_whole_images():
    cfg = Config.fromfile('configs/levir_cd/bit_slffm_b_slide1024.py')
    assert cfg.model.test_cfg == dict(mode='slide', crop_size=(256, 256),
                                      stride=(256, 256))
    assert cfg.test_dataloader.dataset.data_prefix.img_path == 'test/A'
