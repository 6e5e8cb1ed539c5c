"""The detection configs state the SLFFM recipe and build: B/L widths, AdamW 1e-4, wd 0.05,
drop path 0.4, layer decay 0.9, 12 epochs, 1024 / 800 inputs, the right metrics."""
import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmrotate.registry import MODELS


WIDTHS = {'base': [128, 256, 512, 1024], 'large': [192, 384, 768, 1536]}
CONFIGS = {
    'configs/dota/oriented_rcnn_slffm_b.py': ('base', 15, 1024),
    'configs/dota/oriented_rcnn_slffm_l.py': ('large', 15, 1024),
    'configs/dota/oriented_rcnn_slffm_b_trainval_submit.py': ('base', 15,
                                                              1024),
    'configs/dior/oriented_rcnn_slffm_b.py': ('base', 20, 800),
    'configs/dior/oriented_rcnn_slffm_l.py': ('large', 20, 800),
}


@pytest.mark.parametrize('path', sorted(CONFIGS))
def test_recipe(path):
    arch, num_classes, size = CONFIGS[path]
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmrotate'
    backbone = cfg.model.backbone
    assert backbone.type == 'mmslffm.SparseConvNeXt'
    assert backbone.arch == arch and backbone.drop_path_rate == 0.4
    assert backbone.init_cfg.type == 'Pretrained'
    assert backbone.init_cfg.checkpoint.endswith('.pth')
    assert cfg.model.neck.in_channels == WIDTHS[arch]
    assert cfg.model.roi_head.bbox_head.num_classes == num_classes
    assert cfg.model.rpn_head.bbox_coder.angle_version == 'le90'
    optimizer = cfg.optim_wrapper.optimizer
    assert (optimizer.type, optimizer.lr, optimizer.weight_decay) == (
        'AdamW', 1e-4, 0.05)
    assert cfg.optim_wrapper.paramwise_cfg.layer_decay_rate == 0.9
    assert cfg.train_cfg.max_epochs == 12
    resize = [t for t in cfg.train_pipeline if t.type == 'mmdet.Resize']
    assert resize[0].scale == (size, size)
    evaluator = cfg.test_evaluator
    assert evaluator.type in ('mmslffm.DOTASceneMetric',
                              'mmslffm.RotatedVOCMetric')
    assert evaluator.get('eval_mode', '11points') == '11points'


def test_model_and_optimizer_build():
    """The real DOTA B detector builds, runs a forward pass, gets layer-wise lrs."""
    init_default_scope('mmrotate')
    cfg = Config.fromfile('configs/dota/oriented_rcnn_slffm_b.py')
    cfg.model.backbone.init_cfg = None
    model = MODELS.build(cfg.model)
    features = model.extract_feat(torch.zeros(1, 3, 64, 64))
    assert [f.shape[1] for f in features] == [256] * 5
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    lrs = {group['lr'] for group in wrapper.optimizer.param_groups}
    assert max(lrs) == pytest.approx(1e-4)
    # mmpretrain's ConvNeXt grouping: 12 stage-wise layers + stem and head
    # slots, the stem at depth 0 of 14 -> 0.9 ** 13
    assert min(lrs) == pytest.approx(1e-4 * 0.9**13)
