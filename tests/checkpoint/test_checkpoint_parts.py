"""Every loaded checkpoint: finite dense tensors, a usable meta and _metadata."""

from collections import OrderedDict

import pytest
import torch

from mmslffm.checkpoint import (
    CheckpointError,
    allowing_nonfinite_weights,
    load_checkpoint_file,
)
from mmslffm.testing.bad_checkpoints import nonfinite_checkpoint


def _model_state() -> dict:
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 1), torch.nn.BatchNorm2d(4)
    )
    return model.state_dict()


def _refused(tmp_path, checkpoint, *named) -> str:
    path = tmp_path / 'damaged.pth'
    torch.save(checkpoint, path)
    with pytest.raises(CheckpointError) as error:
        load_checkpoint_file(str(path))
    message = str(error.value)
    assert message.startswith(f'{path}: ') and '\n' not in message
    for part in named:
        assert part in message, message
    return message


@pytest.mark.parametrize(
    'value, kind', [(float('nan'), 'NaN'), (float('inf'), 'inf')]
)
def test_nonfinite_weight_is_refused_unless_allowed(tmp_path, value, kind):
    path = nonfinite_checkpoint(
        tmp_path / 'diverged.pth', _model_state(), '1.running_var', value
    )
    with pytest.raises(CheckpointError) as error:
        load_checkpoint_file(str(path))
    message = str(error.value)
    assert message.startswith(
        f"{path}: 'state_dict.1.running_var' holds {kind} (4 of 4 values)"
    )
    assert '--allow-nonfinite-weights' in message
    with allowing_nonfinite_weights():
        loaded = load_checkpoint_file(str(path))
    assert not torch.isfinite(loaded['state_dict']['1.running_var']).any()


def test_first_nonfinite_tensor_in_file_order_is_named(tmp_path):
    state = _model_state()
    state['0.weight'][0, 0, 0, 0] = float('nan')
    state['1.bias'][1] = float('-inf')
    _refused(
        tmp_path,
        {'state_dict': state},
        "'state_dict.0.weight' holds NaN (1 of 12 values)",
    )


@pytest.mark.parametrize(
    'tensor, named',
    [
        (torch.eye(3).to_sparse(), 'sparse_coo tensor'),
        (torch.empty(2**20, 2**20, device='meta'), 'meta device'),
    ],
    ids=['sparse', 'meta'],
)
def test_sparse_and_meta_tensors_are_refused(tmp_path, tensor, named):
    state = _model_state()
    state['0.weight'] = tensor
    _refused(tmp_path, {'state_dict': state}, "'state_dict.0.weight'", named)


@pytest.mark.parametrize(
    'metadata',
    [['not', 'a', 'dict'], OrderedDict([('1', {'version': 'two'})])],
    ids=['a list', 'string version'],
)
def test_damaged_module_versions_are_refused(tmp_path, metadata):
    state = _model_state()
    state._metadata = metadata
    _refused(tmp_path, {'state_dict': state}, "'state_dict._metadata'")


@pytest.mark.parametrize(
    'meta, named',
    [
        (['epoch', 1], "'meta' is a list, not a dict"),
        ({'iter': -1000}, "'meta.iter' is -1000"),
        ({'iter': 1e9}, "'meta.iter' is 1000000000.0"),
        ({'epoch': '3'}, "'meta.epoch' is '3'"),
        ({'dataset_meta': ['a']}, "'meta.dataset_meta' is a list"),
        ({'dataset_meta': {'classes': 5}}, 'classes that are not a list'),
        (
            {'dataset_meta': {'classes': ['a'], 'palette': [[0, 0]]}},
            'palette that is not a list of RGB triples',
        ),
    ],
)
def test_damaged_meta_is_refused(tmp_path, meta, named):
    _refused(tmp_path, {'state_dict': _model_state(), 'meta': meta}, named)


def test_usual_meta_passes(tmp_path):
    import numpy as np

    meta = dict(
        epoch=2,
        iter=np.int64(40),
        dataset_meta=dict(
            classes=('background', 'building'),
            palette=np.array([[0, 0, 0], [255, 0, 0]], np.uint8),
        ),
    )
    path = tmp_path / 'fine.pth'
    torch.save({'state_dict': _model_state(), 'meta': meta}, path)
    assert load_checkpoint_file(str(path))['meta']['epoch'] == 2


def test_large_finite_values_whose_sum_overflows_pass(tmp_path):
    state = {'w': torch.full((4,), 3e38), 'h': torch.full((4,), 6e4).half()}
    path = tmp_path / 'large.pth'
    torch.save({'state_dict': state}, path)
    assert load_checkpoint_file(str(path))['state_dict']['w'][0] == 3e38
