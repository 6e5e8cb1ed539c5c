import pytest
import torch

from mmslffm.checkpoint import (
    CheckpointMismatchError,
    convert_to_convnext_layout,
    infer_convnext_arch,
    load_backbone_weights,
)
from mmslffm.models.backbones import SparseConvNeXt
from .reference_layout import to_reference_slffm, to_timm


@pytest.fixture
def trained():
    model = SparseConvNeXt(arch='test')
    gen = torch.Generator().manual_seed(0)
    model.load_state_dict(
        {
            k: torch.randn(v.shape, generator=gen)
            for k, v in model.state_dict().items()
        }
    )
    return model


def _same_weights(a, b, skip_norms=True):
    for key, value in a.state_dict().items():
        if skip_norms and key.startswith('norm'):
            continue
        torch.testing.assert_close(value, b.state_dict()[key], msg=key)


@pytest.mark.parametrize('layout', [to_reference_slffm, to_timm])
def test_foreign_layouts_round_trip(trained, layout, tmp_path):
    path = tmp_path / 'foreign.pth'
    torch.save(layout(trained.state_dict()), path)
    fresh = SparseConvNeXt(arch='test')
    report = load_backbone_weights(fresh, str(path))
    _same_weights(trained, fresh)
    assert not report.unexpected and not report.shape_mismatch
    assert report.missing == [
        f'norm{i}.{p}' for i in range(4) for p in ('bias', 'weight')
    ]
    assert report.matched_fraction > 0.95


def test_converter_drops_decoder_and_keeps_backbone(trained):
    converted, dropped = convert_to_convnext_layout(
        to_reference_slffm(trained.state_dict())['module']
    )
    assert sorted(dropped) == [
        'module.dense_decoder.dec.0.up_sample.weight',
        'module.densify_norms.0.weight',
        'module.mask_tokens.0',
    ]
    assert set(converted) == {
        k for k in trained.state_dict() if not k.startswith('norm')
    }
    assert infer_convnext_arch(converted) == dict(
        depths=[1, 1, 2, 1], channels=[8, 16, 32, 64], in_channels=3
    )


def test_prefix_is_stripped(trained):
    wrapped = {f'backbone.{k}': v for k, v in trained.state_dict().items()}
    wrapped['neck.conv.weight'] = torch.zeros(3)
    fresh = SparseConvNeXt(arch='test')
    report = load_backbone_weights(fresh, wrapped, prefix='backbone.')
    assert report.matched_fraction == 1.0
    _same_weights(trained, fresh, skip_norms=False)
    with pytest.raises(CheckpointMismatchError, match="prefix 'encoder.'"):
        load_backbone_weights(fresh, wrapped, prefix='encoder.')


def test_refuses_another_model(tmp_path):
    other = SparseConvNeXt(arch='tiny')
    path = tmp_path / 'tiny.pth'
    torch.save({'state_dict': other.state_dict()}, path)
    model = SparseConvNeXt(arch='test')
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(
        CheckpointMismatchError, match=r'tiny.pth matched only 0.0%'
    ):
        load_backbone_weights(model, str(path))
    for key, value in model.state_dict().items():
        torch.testing.assert_close(value, before[key])


def test_refuses_unrelated_weights():
    with pytest.raises(
        CheckpointMismatchError,
        match='unexpected keys start'
        r" with \['decoder'\]",
    ):
        load_backbone_weights(
            SparseConvNeXt(arch='test'), {'decoder.weight': torch.zeros(2)}
        )


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match='checkpoint not found: '):
        load_backbone_weights(
            SparseConvNeXt(arch='test'), str(tmp_path / 'nope.pth')
        )


def test_pretrained_init_cfg_loads_with_report(trained, tmp_path):
    path = tmp_path / 'full.pth'
    torch.save(
        {
            'state_dict': {
                f'backbone.{k}': v for k, v in trained.state_dict().items()
            }
        },
        path,
    )
    model = SparseConvNeXt(
        arch='test',
        init_cfg=dict(
            type='Pretrained', checkpoint=str(path), prefix='backbone.'
        ),
    )
    model.init_weights()
    _same_weights(trained, model, skip_norms=False)


def test_pretrained_init_cfg_refuses_wrong_prefix(trained, tmp_path):
    path = tmp_path / 'full.pth'
    torch.save(
        {
            'state_dict': {
                f'model.{k}': v for k, v in trained.state_dict().items()
            }
        },
        path,
    )
    model = SparseConvNeXt(
        arch='test', init_cfg=dict(type='Pretrained', checkpoint=str(path))
    )
    with pytest.raises(CheckpointMismatchError, match='full.pth'):
        model.init_weights()
