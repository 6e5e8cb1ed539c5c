"""SafeCheckpointRunner / SafeCheckpointHook on a toy model: kills, resume, strict loads."""

import os
import time

import numpy as np
import pytest
import torch
from mmengine.fileio.backends import LocalBackend
from mmengine.hooks import CheckpointHook
from mmengine.logging import HistoryBuffer
from mmengine.model import BaseModel
from torch import nn

from mmslffm.checkpoint import (
    CheckpointError,
    CheckpointMismatchError,
    load_checkpoint_file,
)
from mmslffm.engine import (
    SafeCheckpointHook,
    SafeCheckpointRunner,
    check_optimizer_state,
    find_resumable_checkpoint,
)


class ToyModel(BaseModel):
    """(B, width) -> (B, 1)."""

    def __init__(self, width: int = 2) -> None:
        super().__init__()
        self.linear = nn.Linear(width, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        outputs = self.linear(torch.stack(inputs))
        return dict(loss=outputs.pow(2).mean()) if mode == 'loss' else outputs


def make_runner(
    work_dir, max_iters=2, hook=SafeCheckpointHook, width=2, **kwargs
) -> SafeCheckpointRunner:
    return SafeCheckpointRunner(
        model=ToyModel(width),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=[dict(inputs=torch.ones(width)) for _ in range(8)],
            sampler=dict(type='DefaultSampler', shuffle=False),
            batch_size=2,
            num_workers=0,
        ),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        train_cfg=dict(by_epoch=False, max_iters=max_iters),
        default_hooks=dict(
            checkpoint=dict(
                type=hook, interval=1, by_epoch=False, max_keep_ckpts=1
            )
        ),
        experiment_name=f'{os.path.basename(work_dir)}_{time.perf_counter_ns()}',
        **kwargs,
    )


def _fail_midway(monkeypatch):
    """The next checkpoint write stops half-way, as a kill or a full disk."""

    def put(self, obj, filepath):
        with open(filepath, 'wb') as file:
            file.write(obj[: len(obj) // 2])
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(LocalBackend, 'put', put)


@pytest.mark.parametrize('hook', [CheckpointHook, SafeCheckpointHook])
def test_failed_save_keeps_the_previous_checkpoint(
    tmp_path, monkeypatch, hook
):
    make_runner(tmp_path, max_iters=1, hook=hook).train()
    assert (tmp_path / 'iter_1.pth').is_file()
    _fail_midway(monkeypatch)
    with pytest.raises(OSError):
        make_runner(tmp_path, max_iters=2, hook=hook, resume=True).train()
    monkeypatch.undo()
    if hook is CheckpointHook:  # mmengine deletes first: nothing is left
        assert not (tmp_path / 'iter_1.pth').exists()
        return
    assert sorted(os.listdir(tmp_path)).count('iter_1.pth') == 1
    assert not list(tmp_path.glob('iter_2.pth*'))  # no half file left
    assert find_resumable_checkpoint(str(tmp_path)) == (
        str(tmp_path / 'iter_1.pth'),
        '',
    )
    runner = make_runner(tmp_path, max_iters=2, resume=True)
    runner.train()
    assert runner.iter == 2 and (tmp_path / 'iter_2.pth').is_file()
    assert not (tmp_path / 'iter_1.pth').exists()  # max_keep_ckpts=1


def test_saved_checkpoint_loads_weights_only(tmp_path):
    """What mmengine writes (message hub, history buffers, numpy) is allowed."""
    make_runner(tmp_path, max_iters=2).train()
    checkpoint = load_checkpoint_file(str(tmp_path / 'iter_2.pth'))
    assert checkpoint['meta']['iter'] == 2
    losses = checkpoint['message_hub']['log_scalars']['train/loss']
    assert isinstance(losses, HistoryBuffer) and len(losses.data[0]) == 2
    assert np.isfinite(losses.mean())


def test_resume_with_nothing_to_resume_refuses(tmp_path):
    with pytest.raises(CheckpointError, match='nothing to resume in'):
        make_runner(tmp_path, resume=True).train()
    assert not (tmp_path / 'iter_1.pth').exists()


@pytest.mark.parametrize('record', ['', 'garbage\x00\n', 'missing.pth'])
def test_bad_last_checkpoint_falls_back_to_newest_complete(tmp_path, record):
    make_runner(tmp_path, max_iters=1).train()
    (tmp_path / 'iter_5.pth').write_bytes(b'PK\x03\x04 cut short')  # killed
    (tmp_path / 'iter_6.pth.part').write_bytes(b'half')
    (tmp_path / 'last_checkpoint').write_text(record)
    path, warning = find_resumable_checkpoint(str(tmp_path))
    assert path == str(tmp_path / 'iter_1.pth')
    assert 'last_checkpoint' in warning and 'iter_1.pth' in warning
    runner = make_runner(tmp_path, max_iters=2, resume=True)
    runner.train()
    assert runner.iter == 2


def test_load_from_is_strict_unless_partial_allowed(tmp_path):
    other = tmp_path / 'other.pth'
    torch.save({'state_dict': ToyModel(width=3).state_dict()}, other)
    runner = make_runner(tmp_path / 'a', load_from=str(other))
    with pytest.raises(
        CheckpointMismatchError,
        match=r'other.pth: 1 of 2 model keys loaded, 0 '
        r'missing, 0 unexpected, 1 of another shape',
    ):
        runner.train()
    runner = make_runner(
        tmp_path / 'b', load_from=str(other), cfg=dict(allow_partial_load=True)
    )
    runner.train()
    assert runner.iter == 2


def _stepped(optimizer_cls, **kwargs):
    params = [
        torch.nn.Parameter(torch.ones(3, 2)),
        torch.nn.Parameter(torch.ones(2)),
    ]
    optimizer = optimizer_cls(params, lr=0.1, **kwargs)
    for param in params:
        param.grad = torch.ones_like(param)
    optimizer.step()
    return optimizer


@pytest.mark.parametrize(
    'optimizer_cls, kwargs',
    [
        (torch.optim.AdamW, {}),
        (torch.optim.SGD, {}),
        (torch.optim.SGD, {'momentum': 0.9}),
    ],
)
def test_optimizer_state_that_fits_passes(optimizer_cls, kwargs):
    optimizer = _stepped(optimizer_cls, **kwargs)
    check_optimizer_state(optimizer, optimizer.state_dict())


@pytest.mark.parametrize(
    'damage, message',
    [
        (
            lambda saved: saved.pop('param_groups'),
            'not an optimizer state dict',
        ),
        (
            lambda saved: saved['param_groups'].__setitem__(0, 'x'),
            'not an optimizer',
        ),
        (lambda saved: saved['param_groups'][0]['params'].pop(), 'groups of'),
        (lambda saved: saved['state'].__setitem__(7, {}), 'has no parameter'),
        (
            lambda saved: saved['state'][0].update(exp_avg=torch.zeros(2, 3)),
            'shape',
        ),
        (lambda saved: saved['state'][1].update(exp_avg_sq=None), 'NoneType'),
        (lambda saved: saved['state'][1].update(step='7'), "'step' is a str"),
    ],
)
def test_optimizer_state_that_does_not_fit_is_refused(damage, message):
    optimizer = _stepped(torch.optim.AdamW)
    saved = optimizer.state_dict()
    damage(saved)
    with pytest.raises(CheckpointError, match=message):
        check_optimizer_state(optimizer, saved)
