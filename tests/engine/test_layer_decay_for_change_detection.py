"""The fine-tuning recipe's layer-wise lr decay on the Siamese change detector."""

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

from mmslffm.registry import MODELS


def test_backbone_layers_get_decayed_learning_rates():
    cfg = Config.fromfile(
        'configs/levir_cd/bit_convnext-test_tiny-demo_levir-cd.py'
    )
    init_default_scope(cfg.default_scope)
    model = MODELS.build(cfg.model)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    rates = {
        name: group['lr']
        for group in wrapper.optimizer.param_groups
        for name in [group['param_name']]
    }
    base_lr = cfg.optim_wrapper.optimizer.lr
    assert rates['decode_head.token_pos'] == pytest.approx(base_lr)
    assert rates['backbone.downsample_layers.0.0.weight'] < base_lr
    assert isinstance(wrapper.optimizer, torch.optim.AdamW)
