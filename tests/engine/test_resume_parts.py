"""Resuming checks the checkpoint's position, message hub and schedulers before training."""

import pytest
import torch

from mmslffm.checkpoint import CheckpointError, load_checkpoint_file
from mmslffm.engine import TrainingDivergedError
from tests.engine.test_safe_checkpoint_runner import make_runner

SCHEDULER = dict(type='MultiStepLR', milestones=[1], by_epoch=False)


@pytest.fixture
def saved(tmp_path):
    """A real checkpoint of a 2-iteration toy run with a scheduler."""
    make_runner(
        tmp_path / 'run', max_iters=2, param_scheduler=SCHEDULER
    ).train()
    return load_checkpoint_file(str(tmp_path / 'run' / 'iter_2.pth'))


def _resume(tmp_path, checkpoint, max_iters=4):
    path = tmp_path / 'damaged.pth'
    torch.save(checkpoint, path)
    runner = make_runner(
        tmp_path / 'resumed',
        max_iters=max_iters,
        param_scheduler=SCHEDULER,
        load_from=str(path),
        resume=True,
    )
    return path, runner


def _refused(tmp_path, checkpoint, part: str, max_iters=4) -> str:
    path, runner = _resume(tmp_path, checkpoint, max_iters)
    with pytest.raises(CheckpointError) as error:
        runner.train()
    message = str(error.value)
    assert message.startswith(f'{path}: {part}'), message
    assert '\n' not in message and runner.iter == 0
    return message


def test_an_intact_checkpoint_resumes(tmp_path, saved):
    _, runner = _resume(tmp_path, saved)
    runner.train()
    assert runner.iter == 4


@pytest.mark.parametrize('position', [-1000, 1e9, '2'])
def test_damaged_position_is_refused(tmp_path, saved, position):
    saved['meta']['iter'] = position
    _refused(tmp_path, saved, "'meta.iter' is")


def test_position_beyond_the_run_is_refused(tmp_path, saved):
    saved['meta']['iter'] = 10**9
    message = _refused(tmp_path, saved, 'meta.iter is 1000000000, beyond')
    assert 'train_cfg.max_iters' in message


def test_meta_config_is_never_executed(tmp_path, saved):
    marker = tmp_path / 'marker'
    saved['meta']['config'] = f"import os\nos.system('touch {marker}')\n"
    _, runner = _resume(tmp_path, saved)
    runner.train()
    assert runner.iter == 4 and not marker.exists()


@pytest.mark.parametrize(
    'damage, part',
    [
        (lambda hub: hub.pop('runtime_info'), 'message_hub is not a dict'),
        (
            lambda hub: setattr(
                hub['log_scalars']['train/loss'], '_log_history', 'x'
            ),
            "message_hub.log_scalars['train/loss'] has histories",
        ),
        (
            lambda hub: hub['runtime_info'].update(last_ckpt=3),
            "message_hub.runtime_info['last_ckpt'] is a int",
        ),
    ],
    ids=['part missing', 'history not an array', 'path not a string'],
)
def test_damaged_message_hub_is_refused(tmp_path, saved, damage, part):
    damage(saved['message_hub'])
    _refused(tmp_path, saved, part)


@pytest.mark.parametrize(
    'damage, part',
    [
        (lambda states: states.clear(), 'param_schedulers hold 0 scheduler'),
        (
            lambda states: states[0].update(last_step='x'),
            'param_schedulers[0].last_step is a str',
        ),
        (
            lambda states: states[0].update(base_values=[]),
            'param_schedulers[0].base_values is a list of 0',
        ),
        (
            lambda states: states.__setitem__(0, 5),
            'param_schedulers[0] is not',
        ),
    ],
    ids=['none', 'step not a number', 'values cut', 'not a dict'],
)
def test_damaged_schedulers_are_refused(tmp_path, saved, damage, part):
    damage(saved['param_schedulers'])
    _refused(tmp_path, saved, part)


def test_non_finite_loss_stops_the_run(tmp_path):
    runner = make_runner(
        tmp_path,
        max_iters=4,
        custom_hooks=[dict(type='mmslffm.NonFiniteLossHook')],
    )
    runner.optim_wrapper['optimizer']['lr'] = float('inf')  # not built yet
    with pytest.raises(TrainingDivergedError) as error:
        runner.train()
    # one step with lr=inf makes the weights inf while the loss was finite:
    # the checkpoint of iteration 1 is not written
    assert str(error.value).startswith(
        "iteration 1: weight 'linear.weight' is no longer finite"
    )
    assert not list(tmp_path.glob('iter_*.pth'))


def test_non_finite_loss_stops_the_run_at_once(tmp_path):
    runner = make_runner(
        tmp_path,
        max_iters=4,
        custom_hooks=[dict(type='mmslffm.NonFiniteLossHook')],
    )
    runner.optim_wrapper['optimizer']['lr'] = 1e30  # finite weights, inf loss
    with pytest.raises(TrainingDivergedError) as error:
        runner.train()
    assert str(error.value).startswith(
        'iteration 2: the training loss is not finite (loss=inf)'
    )
    assert (tmp_path / 'iter_1.pth').is_file()
    assert not (tmp_path / 'iter_2.pth').exists()
