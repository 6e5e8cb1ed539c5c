"""User errors of the tools: one line, exit 2; --debug shows the traceback."""

import pytest

from mmslffm.testing import REPO_ROOT as REPO
from mmslffm.testing import run_tool
from mmslffm.testing.in_process import run_in_process

LEVIR = 'configs/levir_cd/bit_convnext-test_tiny-demo_levir-cd.py'


def _line(proc) -> str:
    assert proc.returncode == 2, proc.stderr[-3000:]
    assert 'Traceback' not in proc.stderr, proc.stderr[-3000:]
    return proc.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    'options, expected',
    [
        (['model.backbone.arc=test'], "no key 'arc' in model.backbone"),
        (['lod_from=x.pth'], 'did you mean load_from?'),
        (['train_cfg.max_iters=abc'], 'expected a number'),
    ],
)
def test_cfg_option_typo_is_one_line(tmp_path, options, expected, monkeypatch):
    proc = run_in_process(
        [
            'tools/train.py',
            LEVIR,
            '--work-dir',
            str(tmp_path),
            '--cfg-options',
            *options,
        ],
        monkeypatch,
    )
    line = _line(proc)
    assert line.startswith('train.py: error: ConfigError: --cfg-options ')
    assert expected in line


def test_debug_shows_the_traceback(tmp_path):
    proc = run_tool(
        [
            'tools/train.py',
            LEVIR,
            '--work-dir',
            str(tmp_path),
            '--debug',
            '--cfg-options',
            'model.backbone.arc=test',
        ],
        cwd=REPO,
        check=False,
    )
    assert proc.returncode != 0 and 'Traceback' in proc.stderr


def test_resume_with_nothing_to_resume_is_one_line(tmp_path, monkeypatch):
    proc = run_in_process(
        ['tools/train.py', LEVIR, '--work-dir', str(tmp_path), '--resume'],
        monkeypatch,
    )
    assert 'nothing to resume in' in _line(proc)
    assert not list(tmp_path.glob('*.pth'))


def test_config_syntax_error_and_unreadable_checkpoint(tmp_path, monkeypatch):
    broken = tmp_path / 'broken.py'
    broken.write_text('model = dict(\n')
    (tmp_path / 'x.pth').write_bytes(b'')
    line = _line(
        run_in_process(
            ['tools/test.py', str(broken), str(tmp_path / 'x.pth')],
            monkeypatch,
        )
    )
    assert line.startswith(f'test.py: error: ConfigError: {broken}: ')
    garbage = tmp_path / 'garbage.pth'
    garbage.write_text('hello')
    line = _line(
        run_in_process(
            [
                'tools/extract_backbone.py',
                str(garbage),
                str(tmp_path / 'o.pth'),
            ],
            monkeypatch,
        )
    )
    assert f'{garbage} is not a readable PyTorch checkpoint' in line
