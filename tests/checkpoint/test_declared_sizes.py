"""Sizes a checkpoint declares are bounded before anything is allocated."""

import zipfile

import pytest
import torch

from mmslffm.checkpoint import (
    CheckpointError,
    load_checkpoint_file,
    trusting_checkpoints,
)
from mmslffm.checkpoint.declared_sizes import MAX_EXPANSION
from mmslffm.testing.bad_checkpoints import (
    TensorSpec,
    bytearray_bomb,
    deflate_bomb,
    deflated_copy,
    oversized_storage,
    write_torch_zip,
    zero_stride_bomb,
)


def _refused(path, *named) -> str:
    with pytest.raises(CheckpointError) as error:
        load_checkpoint_file(str(path))
    message = str(error.value)
    assert message.startswith(f'{path}: refused: ') and '\n' not in message
    for part in named:
        assert part in message, message
    return message


def test_deflate_bomb_is_refused_from_the_zip_directory(tmp_path):
    path = deflate_bomb(tmp_path / 'bomb.pth', expanded_bytes=64 * 2**20)
    assert path.stat().st_size * MAX_EXPANSION < 64 * 2**20
    _refused(path, 'expand to 671090', f'{MAX_EXPANSION} times the file')


def test_zero_stride_view_is_refused(tmp_path):
    _refused(
        zero_stride_bomb(tmp_path / 'stride.pth'),
        'shape (16384, 16384, 3, 4) with strides (0, 0, 0, 0)',
        'storage 0 of 1 elements',
    )


def test_overlapping_view_is_refused(tmp_path):
    path = write_torch_zip(
        tmp_path / 'overlap.pth',
        {'w': TensorSpec('0', 4, (4, 4), (1, 0))},
        {'0': bytes(16)},
    )
    _refused(path, '16 elements asked for')


def test_view_past_its_storage_is_refused(tmp_path):
    path = write_torch_zip(
        tmp_path / 'past.pth',
        {'w': TensorSpec('0', 4, (4,), (1,), offset=2)},
        {'0': bytes(16)},
    )
    _refused(path, 'views storage 0 of 4 elements')


def test_storage_larger_than_its_record_is_refused(tmp_path):
    _refused(
        oversized_storage(tmp_path / 'storage.pth'),
        'storage 0 declares 8589934592 bytes, its record holds 16',
    )


def test_bytearray_from_a_number_is_refused(tmp_path):
    path = bytearray_bomb(tmp_path / 'bytes.pth')
    assert path.stat().st_size < 4096
    _refused(path, 'bytearray of 2684354560 bytes')


def test_numpy_array_from_a_shape_is_refused(tmp_path):
    import numpy as np

    class Reconstruct:
        def __reduce__(self):
            return np._core.multiarray._reconstruct, (
                np.ndarray,
                (2**20, 2**12),
                b'b',
            )

    torch.save({'meta': {'x': Reconstruct()}}, tmp_path / 'np.pth')
    _refused(tmp_path / 'np.pth', 'numpy array of shape (1048576, 4096)')


def test_real_checkpoints_pass_also_deflated(tmp_path):
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3), torch.nn.BatchNorm2d(8)
    )
    state = dict(
        state_dict=model.state_dict(),
        meta=dict(iter=3, shared=bytearray(b'abc')),
        view=torch.arange(10.0)[2:6],
        transposed=torch.ones(3, 5).t(),
    )
    torch.save(state, tmp_path / 'plain.pth')
    deflated_copy(tmp_path / 'plain.pth', tmp_path / 'deflated.pth')
    for name in ('plain.pth', 'deflated.pth'):
        loaded = load_checkpoint_file(str(tmp_path / name))
        torch.testing.assert_close(loaded['view'], torch.arange(2.0, 6.0))
        assert loaded['meta']['shared'] == bytearray(b'abc')


def test_legacy_file_is_read_only_when_trusted(tmp_path):
    path = tmp_path / 'legacy.pth'
    torch.save(
        {'w': torch.ones(2)}, path, _use_new_zipfile_serialization=False
    )
    assert not zipfile.is_zipfile(path)
    with pytest.raises(CheckpointError) as error:
        load_checkpoint_file(str(path))
    message = str(error.value)
    assert message.startswith(f'{path} is not a readable PyTorch checkpoint')
    assert 'PyTorch 1.6' in message and '--unsafe-load' in message
    with trusting_checkpoints():
        assert load_checkpoint_file(str(path))['w'].sum() == 2


def test_declarations_are_read_without_running_the_file(tmp_path):
    """The size check unpickles into inert records: a payload stays inert."""
    from mmslffm.checkpoint.declared_sizes import check_declared_sizes
    from tests.checkpoint.payloads import hostile_checkpoint

    marker = tmp_path / 'marker'
    path = hostile_checkpoint(tmp_path / 'evil.pth', marker)
    check_declared_sizes(str(path))  # nothing too large is declared
    assert not marker.exists()
