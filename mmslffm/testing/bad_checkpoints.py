"""Hostile checkpoint files, built inside each test: memory bombs, NaN weights, odd tensors.

:func:`write_torch_zip` writes the archive ``torch.save`` writes (``<folder>/data.pkl`` with
storages as persistent ids, ``<folder>/data/<key>`` records) from :class:`TensorSpec` views
whose storage size, shape and strides the test chooses, which ``torch.save`` cannot produce
without allocating what they declare.
"""

import collections
import io
import pickle
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional, Sequence

import torch

FOLDER = 'archive'


@dataclass
class TensorSpec:
    """A float32 tensor view of storage ``key`` (``numel`` elements declared)."""

    key: str
    numel: int
    size: Sequence[int]
    stride: Sequence[int]
    offset: int = 0

    def __reduce__(self):
        return (
            torch._utils._rebuild_tensor_v2,
            (
                _StorageRef(self.key, self.numel),
                self.offset,
                tuple(self.size),
                tuple(self.stride),
                False,
                collections.OrderedDict(),
            ),
        )


@dataclass
class _StorageRef:
    key: str
    numel: int


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> Optional[tuple]:
        if isinstance(obj, _StorageRef):
            return ('storage', torch.FloatStorage, obj.key, 'cpu', obj.numel)
        return None


def write_torch_zip(
    path: Path,
    obj: Any,
    records: Dict[str, bytes],
    deflated: Optional[Dict[str, int]] = None,
) -> Path:
    """A ``torch.save``-style zip of ``obj`` (which may hold :class:`TensorSpec`).

    Args:
        records: storage key -> bytes stored as ``data/<key>``.
        deflated: storage key -> a number of zero bytes written as a
            deflate-compressed record (streamed: never held in memory).
    """
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=2).dump(obj)
    with zipfile.ZipFile(path, 'w', compresslevel=9) as archive:
        archive.writestr(f'{FOLDER}/data.pkl', buffer.getvalue())
        archive.writestr(f'{FOLDER}/byteorder', 'little')
        for key, data in records.items():
            archive.writestr(f'{FOLDER}/data/{key}', data)
        for key, size in (deflated or {}).items():
            info = zipfile.ZipInfo(f'{FOLDER}/data/{key}')
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, 'w', force_zip64=True) as record:
                chunk = bytes(min(size, 1 << 22))
                for start in range(0, size, len(chunk)):
                    record.write(chunk[: size - start])
        archive.writestr(f'{FOLDER}/version', '3\n')
    return path


def deflate_bomb(path: Path, expanded_bytes: int = 192 * 2**20) -> Path:
    """A checkpoint whose one weight is a deflated record of zeros: a few
    hundred KB on disk, ``expanded_bytes`` once read."""
    numel = expanded_bytes // 4
    weights = {'weight': TensorSpec('0', numel, (numel,), (1,))}
    return write_torch_zip(
        path, {'state_dict': weights}, {}, deflated={'0': expanded_bytes}
    )


def zero_stride_bomb(
    path: Path, key: str = 'backbone.downsample_layers.0.0.weight'
) -> Path:
    """One float of storage viewed as a (2**14, 2**14, 3, 4) weight with
    zero strides: 12 GiB as soon as anything copies it."""
    spec = TensorSpec('0', 1, (2**14, 2**14, 3, 4), (0, 0, 0, 0))
    return write_torch_zip(path, {'state_dict': {key: spec}}, {'0': bytes(4)})


def oversized_storage(path: Path, numel: int = 2**31) -> Path:
    """A storage that declares ``numel`` floats over a 16-byte record."""
    spec = TensorSpec('0', numel, (4,), (1,))
    return write_torch_zip(
        path, {'state_dict': {'weight': spec}}, {'0': bytes(16)}
    )


class _BigBytearray:
    """Unpickles as ``bytearray(size)``: zeros allocated from a number."""

    def __init__(self, size: int) -> None:
        self.size = size

    def __reduce__(self):
        return bytearray, (self.size,)


def bytearray_bomb(path: Path, size: int = int(2.5 * 2**30)) -> Path:
    """A ~1 KB checkpoint whose ``meta`` holds a ``size``-byte bytearray
    (``bytearray`` is on torch's weights-only allow-list)."""
    torch.save(
        dict(meta=dict(note=_BigBytearray(size)), state_dict={}), str(path)
    )
    return path


def nonfinite_checkpoint(
    path: Path, state_dict: Dict[str, torch.Tensor], key: str, value: float
) -> Path:
    """``state_dict`` with tensor ``key`` filled with ``value`` (NaN, inf)."""
    damaged = {k: v.clone() for k, v in state_dict.items()}
    damaged[key] = torch.full_like(damaged[key], value)
    torch.save({'state_dict': damaged, 'meta': {}}, str(path))
    return path


def deflated_copy(source: Path, target: Path) -> Path:
    """``source`` re-zipped with every record deflated (a re-packed download)."""
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(target, 'w', zipfile.ZIP_DEFLATED) as copy,
    ):
        for info in original.infolist():
            copy.writestr(info.filename, original.read(info))
    return target


__all__ = [
    'TensorSpec',
    'bytearray_bomb',
    'deflate_bomb',
    'deflated_copy',
    'nonfinite_checkpoint',
    'oversized_storage',
    'write_torch_zip',
    'zero_stride_bomb',
]
