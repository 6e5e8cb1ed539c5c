"""tools/extract_backbone.py and tools/convert_official.py, run as a user runs them."""

import torch
from mmengine.runner import CheckpointLoader
from mmpretrain.models import ConvNeXt

from mmslffm.models.backbones import SparseConvNeXt
from mmslffm.testing import REPO_ROOT
from tests.checkpoint.reference_layout import to_reference_slffm


def _random_backbone(arch='test'):
    model = SparseConvNeXt(arch=arch)
    gen = torch.Generator().manual_seed(0)
    model.load_state_dict(
        {
            k: torch.randn(v.shape, generator=gen)
            for k, v in model.state_dict().items()
        }
    )
    return model


def _load_into_mmpretrain(path):
    checkpoint = CheckpointLoader.load_checkpoint(str(path))
    model = ConvNeXt(
        arch=dict(depths=[1, 1, 2, 1], channels=[8, 16, 32, 64]),
        out_indices=(0, 1, 2, 3),
        gap_before_final_norm=False,
    )
    result = model.load_state_dict(checkpoint['state_dict'], strict=True)
    return model, checkpoint['meta'], result


def test_convert_official_reference_checkpoint(tool, tmp_path):
    source = _random_backbone()
    torch.save(to_reference_slffm(source.state_dict()), tmp_path / 'ref.pth')
    proc = tool(
        [str(REPO_ROOT / 'tools/convert_official.py'), 'ref.pth', 'out.pth'],
        cwd=tmp_path,
    )
    assert (
        'backbone written to out.pth (3 non-backbone keys dropped)'
        in proc.stdout
    )
    model, meta, _ = _load_into_mmpretrain(tmp_path / 'out.pth')
    for key, value in source.state_dict().items():
        if not key.startswith('norm'):
            torch.testing.assert_close(model.state_dict()[key], value)
        else:  # SLFFM pretrains no output norms: written as identity
            expected = 1.0 if key.endswith('weight') else 0.0
            assert (model.state_dict()[key] == expected).all()
    assert meta['arch'] == 'test' and meta['in_channels'] == 3


def test_extract_backbone_from_training_checkpoint(tool, tmp_path):
    source = _random_backbone()
    state = {
        f'backbone.{k}': v
        for k, v in source.state_dict().items()
        if not k.startswith('norm')
    }
    state['mask_tokens.0'] = torch.zeros(1, 64, 1, 1)
    state['decoder.dec.0.weight'] = torch.zeros(4, 4)
    torch.save(
        {'state_dict': state, 'meta': {'iter': 4}}, tmp_path / 'iter_4.pth'
    )
    proc = tool(
        [str(REPO_ROOT / 'tools/extract_backbone.py'), 'iter_4.pth', 'bb.pth'],
        cwd=tmp_path,
    )
    # the mask token and the decoder weight sit outside 'backbone.'
    assert '(2 non-backbone keys dropped)' in proc.stdout
    _, _, result = _load_into_mmpretrain(tmp_path / 'bb.pth')
    assert not result.missing_keys and not result.unexpected_keys


def test_tools_refuse_a_checkpoint_of_another_model(tool, tmp_path):
    torch.save(
        {
            'state_dict': {
                'backbone.layer1.conv.weight': torch.zeros(8, 3, 3, 3)
            }
        },
        tmp_path / 'resnet.pth',
    )
    proc = tool(
        [str(REPO_ROOT / 'tools/extract_backbone.py'), 'resnet.pth', 'bb.pth'],
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == (
        'extract_backbone.py: error: ValueError: resnet.pth: no ConvNeXt '
        "backbone weights found under prefix 'backbone.'"
    )
    assert not (tmp_path / 'bb.pth').exists()


def test_tools_refuse_a_partial_match(tool, tmp_path):
    source = _random_backbone()
    state = {
        k: v
        for k, v in source.state_dict().items()
        if k.startswith('stages.0') or k.startswith('stages.1')
    }
    torch.save(state, tmp_path / 'partial.pth')
    proc = tool(
        [
            str(REPO_ROOT / 'tools/convert_official.py'),
            'partial.pth',
            'out.pth',
        ],
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 2
    assert 'partial.pth matched only' in proc.stderr
    assert not (tmp_path / 'out.pth').exists()


def test_missing_checkpoint_file(tool, tmp_path):
    proc = tool(
        [
            str(REPO_ROOT / 'tools/convert_official.py'),
            'absent.pth',
            'out.pth',
        ],
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 2
    assert 'checkpoint not found: absent.pth' in proc.stderr
