"""Every entry point refuses hostile and wrong-model checkpoints in one line (exit 2).

A pickle whose payload touches a marker file must leave no marker through any tool; a
checkpoint of another model must not be evaluated unless --allow-partial is given. The tools
run in this process (as ``python tools/X.py`` would, exit code and stderr included), except
one real subprocess per kind of refusal.
"""

import time
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmslffm.registry import MODELS
from mmslffm.testing import REPO_ROOT as REPO
from mmslffm.testing import run_tool
from mmslffm.testing.in_process import run_in_process
from tests.checkpoint.payloads import hostile_checkpoint, legacy_checkpoint

LEVIR = 'configs/levir_cd/bit_convnext-test_tiny-demo_levir-cd.py'
PRETRAIN = 'configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py'
PAIR = [
    str(REPO / f'demo/data/levir_cd/{side}/test_2_0000_0000.png')
    for side in 'AB'
]


def _refusal(proc, tool: str, named: str) -> str:
    """The one line a refusal prints, checked."""
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert 'Traceback' not in proc.stderr, proc.stderr[-3000:]
    line = proc.stderr.strip().splitlines()[-1]
    assert line.startswith(f'{tool}: error: ') and named in line, line
    return line


def _levir_state_dict(**options) -> dict:
    cfg = Config.fromfile(REPO / LEVIR)
    cfg.merge_from_dict(options)
    init_default_scope(cfg.default_scope)
    return MODELS.build(cfg.model).state_dict()


def _entry_points(tmp: Path, ckpt: str):
    """(tool, args) of every tool that reads a checkpoint."""
    bad_backbone = tmp / 'pretrained_payload.py'
    bad_backbone.write_text(
        f"_base_ = ['{REPO / LEVIR}']\nmodel = dict(backbone=dict(init_cfg="
        f"dict(_delete_=True, type='Pretrained', checkpoint='{ckpt}')))\n"
    )
    work = ['--work-dir', str(tmp / 'work')]
    return {
        'test.py': ['tools/test.py', LEVIR, ckpt, *work],
        'train.py --resume': [
            'tools/train.py',
            LEVIR,
            '--resume',
            ckpt,
            *work,
        ],
        'init_cfg Pretrained': ['tools/train.py', str(bad_backbone), *work],
        'extract_backbone.py': [
            'tools/extract_backbone.py',
            ckpt,
            str(tmp / 'bb.pth'),
        ],
        'convert_official.py': [
            'tools/convert_official.py',
            ckpt,
            str(tmp / 'bb.pth'),
        ],
        'infer_large.py': [
            'tools/infer_large.py',
            LEVIR,
            ckpt,
            *PAIR,
            '--out',
            str(tmp / 'out'),
        ],
        'visualize_reconstruction.py': [
            'tools/visualize_reconstruction.py',
            PRETRAIN,
            ckpt,
            PAIR[0],
            '--out',
            str(tmp / 'recon.png'),
        ],
    }


ENTRY_POINTS = [
    'test.py',
    'train.py --resume',
    'init_cfg Pretrained',
    'extract_backbone.py',
    'convert_official.py',
    'infer_large.py',
    'visualize_reconstruction.py',
]


@pytest.mark.parametrize('entry', ENTRY_POINTS)
def test_payload_runs_through_no_entry_point(tmp_path, entry, monkeypatch):
    marker = tmp_path / 'marker'
    ckpt = hostile_checkpoint(tmp_path / 'evil.pth', marker)
    entry_points = _entry_points(tmp_path, str(ckpt))
    assert sorted(entry_points) == sorted(ENTRY_POINTS)
    args = entry_points[entry]
    if entry == 'test.py':  # once as a real process
        proc = run_tool(args, cwd=REPO, check=False, timeout=300)
    else:
        proc = run_in_process(args, monkeypatch)
    line = _refusal(proc, Path(args[0]).name, f'{ckpt}: refused')
    assert 'posix.system' in line and '--unsafe-load' in line
    assert not marker.exists()
    assert not (tmp_path / 'bb.pth').exists()


@pytest.mark.parametrize(
    'kind', ['empty dict', 'another model', 'other shapes']
)
def test_test_py_refuses_a_checkpoint_of_another_model(
    tmp_path, kind, monkeypatch
):
    state = {
        'empty dict': {},
        'another model': torch.nn.Linear(4, 2).state_dict(),
        'other shapes': _levir_state_dict(
            **{'model.decode_head.channels': 32}
        ),
    }[kind]
    ckpt = tmp_path / 'wrong.pth'
    torch.save({'state_dict': state}, ckpt)
    args = [
        'tools/test.py',
        LEVIR,
        str(ckpt),
        '--work-dir',
        str(tmp_path / 'work'),
    ]
    proc = run_in_process(args, monkeypatch)
    line = _refusal(proc, 'test.py', f'{ckpt}: ')
    assert 'model keys loaded' in line and '--allow-partial' in line
    assert '(test) [' not in proc.stdout + proc.stderr  # no metrics printed
    if kind == 'other shapes':
        # both runs get one timestamped run name, as runs in one second do:
        # the second must still print its own metrics
        monkeypatch.setattr(time, 'strftime', lambda *_: '20261130_005716')
        proc = run_in_process(args, monkeypatch)
        assert proc.returncode == 2
        proc = run_in_process([*args, '--allow-partial'], monkeypatch)
        assert proc.returncode == 0
        assert 'F1_change: ' in proc.stdout + proc.stderr


def test_infer_large_refuses_other_shapes_unless_partial(
    tmp_path, monkeypatch
):
    ckpt = tmp_path / 'wrong.pth'
    torch.save(
        {
            'state_dict': _levir_state_dict(
                **{'model.decode_head.channels': 32}
            )
        },
        ckpt,
    )
    args = [
        'tools/infer_large.py',
        LEVIR,
        str(ckpt),
        *PAIR,
        '--out',
        str(tmp_path / 'out'),
        '--window',
        '256',
    ]
    line = _refusal(
        run_tool(args, cwd=REPO, check=False, timeout=300),
        'infer_large.py',
        f'{ckpt}: ',
    )
    assert 'of another shape' in line
    assert not (tmp_path / 'out').exists()
    proc = run_in_process([*args, '--allow-partial'], monkeypatch)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert list((tmp_path / 'out').glob('*_change.tif'))
    # a typo in the new --cfg-options is refused like in test.py
    proc = run_in_process(
        [*args, '--cfg-options', 'model.backbone.arc=x'], monkeypatch
    )
    assert 'did you mean arch' in _refusal(proc, 'infer_large.py', 'arc')


def test_unsafe_load_reads_a_legacy_backbone_file(tmp_path, monkeypatch):
    from mmslffm.checkpoint import load_checkpoint_file
    from mmslffm.models.backbones import SparseConvNeXt

    weights = SparseConvNeXt(arch='test').state_dict()
    legacy = legacy_checkpoint(tmp_path / 'legacy.pth', weights)
    args = ['tools/convert_official.py', str(legacy), str(tmp_path / 'o.pth')]
    _refusal(
        run_in_process(args, monkeypatch),
        'convert_official.py',
        'argparse.Namespace',
    )
    proc = run_in_process([*args, '--unsafe-load'], monkeypatch)
    assert proc.returncode == 0, proc.stderr[-2000:]
    converted = load_checkpoint_file(str(tmp_path / 'o.pth'))['state_dict']
    torch.testing.assert_close(
        converted['stages.0.0.gamma'], weights['stages.0.0.gamma']
    )
