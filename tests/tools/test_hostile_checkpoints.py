"""Every entry point refuses memory bombs, non-finite and damaged checkpoints in one line.

The files are built here (:mod:`mmslffm.testing.bad_checkpoints`); the tools run in this
process as ``python tools/X.py`` would, and a few as real processes whose peak memory is
measured against the same tool refusing a small file.
"""

from pathlib import Path

import pytest
import torch

from mmslffm.testing.bad_checkpoints import (
    bytearray_bomb,
    deflate_bomb,
    nonfinite_checkpoint,
    oversized_storage,
    zero_stride_bomb,
)
from mmslffm.testing.in_process import run_in_process
from mmslffm.testing.peak_memory import run_tool_with_peak_memory
from tests.tools.test_untrusted_checkpoints import (
    ENTRY_POINTS,
    LEVIR,
    _entry_points,
    _levir_state_dict,
    _refusal,
)

# peak memory a refused bomb may add to the same tool refusing a small file
MAX_EXTRA_MB = 150


def _with_weight(path: Path, tensor: torch.Tensor) -> Path:
    state = _levir_state_dict()
    state['backbone.downsample_layers.0.0.weight'] = tensor
    torch.save({'state_dict': state}, path)
    return path


def _with_meta(path: Path, meta) -> Path:
    torch.save({'state_dict': _levir_state_dict(), 'meta': meta}, path)
    return path


def _with_module_versions(path: Path, metadata) -> Path:
    state = _levir_state_dict()
    state._metadata = metadata
    torch.save({'state_dict': state}, path)
    return path


# kind: (builder(path) -> path, what the one line says after the file name)
KINDS = {
    'bytearray bomb': (
        bytearray_bomb,
        'refused: its pickle builds a bytearray',
    ),
    'deflate bomb': (
        lambda path: deflate_bomb(path, 64 * 2**20),
        'refused: its zip records expand to',
    ),
    'zero-stride view': (zero_stride_bomb, 'with strides (0, 0, 0, 0)'),
    'oversized storage': (oversized_storage, 'declares 8589934592 bytes'),
    'NaN weights': (
        lambda path: nonfinite_checkpoint(
            path,
            _levir_state_dict(),
            'decode_head.conv_seg.weight',
            float('nan'),
        ),
        "'state_dict.decode_head.conv_seg.weight' holds NaN",
    ),
    'sparse weight': (
        lambda path: _with_weight(path, torch.eye(4).to_sparse()),
        'is a sparse_coo tensor',
    ),
    'meta-device weight': (
        lambda path: _with_weight(
            path, torch.empty(8, 3, 4, 4, device='meta')
        ),
        'is a tensor on the meta device',
    ),
    'meta not a dict': (
        lambda path: _with_meta(path, ['epoch', 3]),
        "'meta' is a list, not a dict",
    ),
    'meta.iter negative': (
        lambda path: _with_meta(path, {'epoch': 0, 'iter': -1000}),
        "'meta.iter' is -1000",
    ),
    '_metadata a list': (
        lambda path: _with_module_versions(path, ['x']),
        "'state_dict._metadata'",
    ),
}
# the entry points that build a model or runner first: the kinds that differ
SLOW_ENTRY_POINTS = ('test.py', 'train.py --resume', 'init_cfg Pretrained')
SLOW_KINDS = ('bytearray bomb', 'zero-stride view', 'NaN weights')
CASES = [
    (entry, kind)
    for entry in ENTRY_POINTS
    for kind in KINDS
    if entry not in SLOW_ENTRY_POINTS or kind in SLOW_KINDS
] + [('train.py --resume', 'meta.iter negative')]


@pytest.mark.parametrize('entry, kind', CASES)
def test_entry_point_refuses_in_one_line(tmp_path, entry, kind, monkeypatch):
    build, says = KINDS[kind]
    ckpt = build(tmp_path / 'hostile.pth')
    args = _entry_points(tmp_path, str(ckpt))[entry]
    proc = run_in_process(args, monkeypatch)
    line = _refusal(proc, Path(args[0]).name, f'{ckpt}')
    assert says in line, line
    assert not (tmp_path / 'bb.pth').exists()
    assert not (tmp_path / 'out').exists()


def test_bombs_stay_within_memory_of_a_small_refusal(tmp_path):
    """extract_backbone.py on the bombs that allocate while loading (2.5 GiB
    and 384 MB unguarded) needs no more memory than on a small file it
    refuses after reading it whole. (Other kinds allocate only when copied:
    their refusal above comes before.)"""
    runs = {}
    for kind in ('NaN weights', 'bytearray bomb', 'deflate bomb'):
        build = KINDS[kind][0]
        if kind == 'deflate bomb':  # 192 MiB: 384 MB unguarded
            build = deflate_bomb
        ckpt = build(tmp_path / f'{kind.replace(" ", "_")}.pth')
        proc, peak = run_tool_with_peak_memory(
            ['tools/extract_backbone.py', ckpt, tmp_path / 'bb.pth']
        )
        code, stderr = proc.returncode, proc.stderr
        assert code == 2 and 'Traceback' not in stderr, stderr[-2000:]
        assert (
            stderr.strip()
            .splitlines()[-1]
            .startswith(f'extract_backbone.py: error: CheckpointError: {ckpt}')
        )
        runs[kind] = peak
    print(f'peak RSS (MiB) of extract_backbone.py: {runs}')
    baseline = runs.pop('NaN weights')
    for kind, peak in runs.items():
        assert peak < baseline + MAX_EXTRA_MB, (kind, peak, baseline)


def test_test_py_on_nan_weights_runs_only_when_allowed(tmp_path, monkeypatch):
    ckpt = nonfinite_checkpoint(
        tmp_path / 'nan.pth',
        _levir_state_dict(),
        'decode_head.conv_seg.weight',
        float('nan'),
    )
    args = ['tools/test.py', LEVIR, str(ckpt), '--work-dir', str(tmp_path)]
    line = _refusal(run_in_process(args, monkeypatch), 'test.py', str(ckpt))
    assert '--allow-nonfinite-weights' in line
    proc = run_in_process([*args, '--allow-nonfinite-weights'], monkeypatch)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert 'F1_change: ' in proc.stdout + proc.stderr


def test_train_py_stops_when_the_loss_diverges(tmp_path, monkeypatch):
    # lr=inf itself is refused before training (a config value check); a
    # finite but absurd learning rate makes the weights, then the loss, inf
    args = [
        'tools/train.py',
        LEVIR,
        '--work-dir',
        str(tmp_path),
        '--no-validate',
        '--cfg-options',
        'optim_wrapper.optimizer.lr=1e30',
        'train_cfg.max_iters=3',
    ]
    proc = run_in_process(args, monkeypatch)
    line = _refusal(proc, 'train.py', 'TrainingDivergedError: iteration ')
    assert 'not finite' in line and 'optim_wrapper.optimizer.lr' in line
