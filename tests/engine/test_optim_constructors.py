import pytest
import torch
from torch import nn

from mmslffm.engine import BackboneLayerDecayOptimWrapperConstructor
from mmslffm.models.backbones import SparseConvNeXt


class Detector(nn.Module):
    """A model shaped like mmdet/mmseg ones: backbone, neck, head."""

    def __init__(self):
        super().__init__()
        self.data_preprocessor = nn.Identity()
        self.backbone = SparseConvNeXt(arch='base')
        self.neck = nn.Conv2d(128, 8, 1)


def _groups(model, rate=0.9):
    constructor = BackboneLayerDecayOptimWrapperConstructor(
        dict(
            type='OptimWrapper',
            optimizer=dict(type='AdamW', lr=1e-4, weight_decay=0.05),
        ),
        paramwise_cfg=dict(layer_decay_rate=rate),
    )
    wrapper = constructor(model)
    return {g['param_name']: g for g in wrapper.optimizer.param_groups}


def test_layer_decay_over_the_12_convnext_layers():
    groups = _groups(Detector())
    # mmpretrain's grouping for ConvNeXt-B: stem 0, stage 0 1, stage 1 2,
    # stage 2 3..11 (3 blocks each), stage 3 12, out norms and heads 13
    assert groups['neck.weight']['lr'] == pytest.approx(1e-4)
    assert groups['backbone.stages.3.0.gamma']['lr'] == pytest.approx(
        1e-4 * 0.9
    )
    assert groups['backbone.downsample_layers.0.0.weight'][
        'lr'
    ] == pytest.approx(1e-4 * 0.9**13)
    assert groups['backbone.stages.2.14.depthwise_conv.weight'][
        'lr'
    ] == pytest.approx(1e-4 * 0.9 ** (13 - 3 - 14 // 3))
    assert groups['backbone.norm3.weight']['lr'] == pytest.approx(1e-4)


def test_model_without_backbone_is_a_clear_error():
    with pytest.raises(
        ValueError,
        match='has no backbone with '
        r'get_layer_depth\(\)',
    ):
        _groups(nn.Sequential(nn.Linear(2, 2)))


def test_dense_forward_stops_at_the_last_needed_stage():
    full = SparseConvNeXt(arch='test').eval()
    early = SparseConvNeXt(arch='test', out_indices=(0,)).eval()
    early.load_state_dict(full.state_dict(), strict=False)
    calls = []
    for stage in early.stages[1:]:
        stage.register_forward_hook(lambda *args: calls.append(1))
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(early(x)[0], full(x)[0])
    assert calls == []


@pytest.mark.parametrize(
    'level, per_parameter', [('INFO', False), ('DEBUG', True)]
)
def test_default_constructor_logs_one_summary_line(
    tmp_path, level, per_parameter
):
    from mmengine.logging import MMLogger

    from mmslffm.engine import ParamwiseSummaryOptimWrapperConstructor

    log_file = tmp_path / f'{level}.log'
    MMLogger.get_instance(
        f'summary_{level}', log_file=str(log_file), log_level=level
    )
    constructor = ParamwiseSummaryOptimWrapperConstructor(
        dict(
            type='OptimWrapper',
            optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.05),
        ),
        paramwise_cfg=dict(bias_decay_mult=0.0, flat_decay_mult=0.0),
    )
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.LayerNorm(4))
    wrapper = constructor(model)
    text = log_file.read_text()
    assert (
        'optimizer AdamW: 4 parameter tensors in 4 groups, lr 0.001, '
        '3 without weight decay'
    ) in text
    assert ('paramwise_options --' in text) == per_parameter
    # the same optimizer as mmengine's own constructor builds
    assert [g['weight_decay'] for g in wrapper.optimizer.param_groups] == [
        0.05,
        0.0,
        0.0,
        0.0,
    ]
