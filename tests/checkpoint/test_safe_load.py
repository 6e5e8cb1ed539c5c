"""The weights-only loader: payloads refused, legacy files with --unsafe-load, corrupt files."""

import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub
from mmengine.runner import CheckpointLoader, load_checkpoint
from mmengine.runner.checkpoint import load_from_local

from mmslffm.checkpoint import (
    CheckpointError,
    UnsafeCheckpointError,
    load_checkpoint_file,
    mmengine_loads_safely,
    read_state_dict,
    trusting_checkpoints,
)
from mmslffm.models.backbones import SparseConvNeXt
from tests.checkpoint.payloads import (
    ShellPayload,
    WritePayload,
    hostile_checkpoint,
    legacy_checkpoint,
)


@pytest.mark.parametrize(
    'payload, named', [(ShellPayload, 'posix.system'), (WritePayload, 'exec')]
)
def test_payload_is_refused_naming_file_and_global(tmp_path, payload, named):
    marker = tmp_path / 'marker'
    path = hostile_checkpoint(tmp_path / 'evil.pth', marker, payload)
    with pytest.raises(UnsafeCheckpointError) as error:
        load_checkpoint_file(str(path))
    message = str(error.value)
    assert message.startswith(f'{path}: refused') and named in message
    assert '--unsafe-load' in message and '\n' not in message
    assert not marker.exists()


def test_backbone_pretrained_init_refuses_payload(tmp_path):
    marker = tmp_path / 'marker'
    path = hostile_checkpoint(tmp_path / 'evil.pth', marker)
    backbone = SparseConvNeXt(
        arch='test', init_cfg=dict(type='Pretrained', checkpoint=str(path))
    )
    with pytest.raises(UnsafeCheckpointError, match='evil.pth: refused'):
        backbone.init_weights()
    assert not marker.exists()


def test_mmengine_loader_is_safe_only_inside_the_context(tmp_path):
    marker = tmp_path / 'marker'
    path = hostile_checkpoint(tmp_path / 'evil.pth', marker)
    with mmengine_loads_safely():
        with pytest.raises(UnsafeCheckpointError):
            load_checkpoint(torch.nn.Linear(2, 2), str(path))
        with pytest.raises(CheckpointError, match='give its local path'):
            CheckpointLoader.load_checkpoint('open-mmlab://resnet50_v1c')
    assert not marker.exists()
    assert (
        CheckpointLoader._get_checkpoint_loader(str(path)) is load_from_local
    )  # restored
    # what the context prevents: mmengine retries unsafely and runs it
    CheckpointLoader.load_checkpoint(str(path))
    assert marker.exists()


def test_restricted_getattr_reaches_nothing_but_statistics(tmp_path):
    """mmengine's allow-list has ``getattr``: through it a file reaches any object."""

    class Reach:
        def __reduce__(self):
            return getattr, (HistoryBuffer, '__init__')

    torch.save({'x': Reach()}, tmp_path / 'reach.pth')
    with pytest.raises(UnsafeCheckpointError, match='getattr'):
        load_checkpoint_file(str(tmp_path / 'reach.pth'))


def test_message_hub_and_numpy_state_load(tmp_path):
    hub = MessageHub('safe_load_test')
    hub.update_scalar('train/loss', np.float64(0.5))
    hub.update_scalar('train/loss', 0.25)
    hub.update_info('best_score', np.float32(0.75), resumed=True)
    state = dict(
        message_hub=hub.state_dict(),
        meta=dict(
            palette=np.array([[0, 0, 0], [255, 0, 0]], np.uint8),
            seed=np.int64(3),
        ),
        state_dict={'w': torch.ones(2)},
    )
    torch.save(state, tmp_path / 'hub.pth')
    loaded = load_checkpoint_file(str(tmp_path / 'hub.pth'))
    restored = MessageHub('safe_load_test_restored')
    restored.load_state_dict(loaded['message_hub'])
    assert restored.get_scalar('train/loss').mean() == pytest.approx(0.375)
    assert restored.get_info('best_score') == np.float32(0.75)
    np.testing.assert_array_equal(
        loaded['meta']['palette'], state['meta']['palette']
    )


def test_unsafe_load_reads_a_legacy_file(tmp_path):
    path = legacy_checkpoint(tmp_path / 'legacy.pth', {'w': torch.arange(3.0)})
    with pytest.raises(UnsafeCheckpointError, match='argparse.Namespace'):
        read_state_dict(str(path))
    with trusting_checkpoints():
        weights = read_state_dict(str(path))
    torch.testing.assert_close(weights['w'], torch.arange(3.0))
    with pytest.raises(UnsafeCheckpointError):  # trust ends with the block
        read_state_dict(str(path))


@pytest.mark.parametrize(
    'content', [b'', b'not a checkpoint at all\n', 'truncated']
)
def test_unreadable_files_are_one_line_errors(tmp_path, content):
    path = tmp_path / 'bad.pth'
    if content == 'truncated':
        torch.save({'w': torch.ones(1000)}, path)
        content = path.read_bytes()[:2000]
    path.write_bytes(content)
    with pytest.raises(CheckpointError) as error:
        load_checkpoint_file(str(path))
    assert not isinstance(error.value, UnsafeCheckpointError)
    message = str(error.value)
    assert message.startswith(f'{path} is not a readable PyTorch checkpoint')
    assert '\n' not in message


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='checkpoint not found'):
        load_checkpoint_file(str(tmp_path / 'nope.pth'))


def test_pickle_protocol_is_what_mmengine_writes():
    """The restricted getattr exists because protocol 2 writes methods so."""
    data = pickle.dumps(HistoryBuffer.mean, protocol=2)
    assert b'getattr' in data


def test_every_torch_load_in_the_package_is_weights_only():
    """No code path of mmslffm, its tools or benchmarks unpickles freely."""
    import ast

    from mmslffm.testing import REPO_ROOT as REPO

    calls = []
    for folder in ('mmslffm', 'tools', 'benchmarks'):
        for path in (REPO / folder).rglob('*.py'):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and ast.unparse(node.func) in (
                    'torch.load',
                    'pickle.load',
                    'pickle.loads',
                    'torch.serialization.load',
                ):
                    weights_only = [
                        k for k in node.keywords if k.arg == 'weights_only'
                    ]
                    calls.append(
                        (
                            str(path.relative_to(REPO)),
                            bool(weights_only)
                            and ast.literal_eval(weights_only[0].value)
                            is True,
                        )
                    )
    assert calls == [('mmslffm/checkpoint/safe_load.py', True)]
