"""Bounding what a checkpoint file may make us allocate, read off what it declares.

``torch.load`` trusts the sizes a file declares: a zip record's uncompressed size (a 2 MB
deflated record expands to gigabytes), a storage's element count, a tensor view's shape and
strides (a zero-stride view of one element "holds" any number of them, and the first copy
allocates them all), and the arguments of the constructors on its weights-only allow-list
(``bytearray(2**31)`` is a few bytes of pickle). Nothing in torch or mmengine checks these
before allocating, so :func:`check_declared_sizes` reads them first, without building anything
the file describes:

* the zip directory: records stored uncompressed must declare their stored size; the
  records together may expand to at most :data:`MAX_EXPANSION` times the file's size;
* ``data.pkl``, unpickled by :class:`_DeclarationReader`, which turns every global the file
  names into an inert record of its name and arguments (no code runs, nothing large is
  built: its objects are at most the pickle's own size);
* every storage must declare exactly the bytes of its zip record; every tensor view must
  fit its storage, without repeating its elements (zero or overlapping strides);
* non-tensor objects built from a number (``bytearray(n)``, numpy's ``_reconstruct``) are
  limited to :data:`MAX_NON_TENSOR_BYTES`.

So what loading allocates is bounded by a small multiple of the file's own size.
"""

import _compat_pickle
import io
import math
import os
import pickle
import pickletools
import zipfile
from typing import Any, Dict, Iterator, List, Tuple

import torch

# A torch.save record is stored uncompressed; deflated weights shrink ~10%.
MAX_EXPANSION = 8
# bytearray(n) and the like: metadata is small.
MAX_NON_TENSOR_BYTES = 16 * 2**20
DAMAGED_FIX = (
    'the file is damaged or crafted to exhaust memory; do not use it '
    '(download or save it again)'
)
TENSOR_REBUILDERS = (
    'torch._utils._rebuild_tensor',
    'torch._utils._rebuild_tensor_v2',
    'torch._utils._rebuild_tensor_v3',
    'torch._utils._rebuild_qtensor',
)
NUMPY_RECONSTRUCT = (
    'numpy._core.multiarray._reconstruct',
    'numpy.core.multiarray._reconstruct',
)


class DeclaredSizeError(ValueError):
    """A declared size exceeds what the file can hold (message without the file)."""


class ArchiveError(ValueError):
    """Not a readable ``torch.save`` zip; ``legacy``: not a zip at all."""

    def __init__(self, reason: str, legacy: bool = False) -> None:
        super().__init__(reason)
        self.legacy = legacy


class _Built:
    """What a global named in the pickle would build: its name and arguments."""

    global_name = ''

    def __new__(cls, *args: Any, **kwargs: Any) -> '_Built':
        built = object.__new__(cls)
        built.args = args
        built.children = [kwargs] if kwargs else []
        return built

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __setstate__(self, state: Any) -> None:
        self.children.append(state)

    def __setitem__(self, key: Any, value: Any) -> None:
        self.children += [key, value]

    def append(self, value: Any) -> None:
        self.children.append(value)

    def extend(self, values: Any) -> None:
        self.children.extend(values)


class _Storage:
    """A storage the pickle refers to: its record key and declared size."""

    def __init__(self, key: str, numel: Any, itemsize: int) -> None:
        self.key, self.numel, self.itemsize = key, numel, itemsize


def _itemsize(storage_type: Any) -> int:
    """Bytes per element of a storage class the pickle names (1 if unknown)."""
    name = getattr(storage_type, 'global_name', '').rpartition('.')[2]
    if name in ('UntypedStorage', ''):
        return 1
    try:
        return torch.serialization.StorageType(name).dtype.itemsize
    except (AttributeError, TypeError):
        raise DeclaredSizeError(
            f'its pickle names an unknown storage type {name!r}'
        ) from None


class _DeclarationReader(pickle.Unpickler):
    """Unpickles ``data.pkl`` into inert records: every global becomes a
    :class:`_Built` subclass, every storage a :class:`_Storage`."""

    def __init__(self, file: Any) -> None:
        super().__init__(file)
        self.storages: List[_Storage] = []
        self._classes: Dict[str, type] = {}

    def find_class(self, module: str, name: str) -> type:
        # protocol 2 writes Python 2 names (__builtin__.bytearray): map them
        # as pickle.Unpickler does
        module, name = _compat_pickle.NAME_MAPPING.get(
            (module, name), (module, name)
        )
        module = _compat_pickle.IMPORT_MAPPING.get(module, module)
        full = f'{module}.{name}'
        if full not in self._classes:
            self._classes[full] = type(name, (_Built,), {'global_name': full})
        return self._classes[full]

    def persistent_load(self, pid: Any) -> _Storage:
        if not (isinstance(pid, tuple) and len(pid) == 5):
            raise DeclaredSizeError(f'its pickle refers to storage {pid!r}')
        _, storage_type, key, _, numel = pid
        storage = _Storage(str(key), numel, _itemsize(storage_type))
        self.storages.append(storage)
        return storage


def _objects(root: Any) -> Iterator[Any]:
    """Every object reachable from ``root``, once each, without recursion."""
    seen, stack = set(), [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        yield obj
        if isinstance(obj, dict):
            stack += [*obj.keys(), *obj.values()]
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack += list(obj)
        elif isinstance(obj, _Built):
            stack += [*obj.args, *obj.children]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_view(built: _Built) -> None:
    """A tensor's (offset, size, stride) must address distinct elements of its storage."""
    storage, offset, size, stride = (list(built.args) + [None] * 4)[:4]
    if not isinstance(storage, _Storage):
        return
    if not (
        _is_int(offset)
        and isinstance(size, tuple)
        and isinstance(stride, tuple)
        and len(size) == len(stride)
        and all(_is_int(value) and value >= 0 for value in (*size, *stride))
        and offset >= 0
    ):
        raise DeclaredSizeError(
            f'a tensor of storage {storage.key} declares offset {offset!r}, '
            f'size {size!r}, stride {stride!r}, which are not valid'
        )
    numel = math.prod(size)
    if numel == 0:
        return
    extent = offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1
    if numel > storage.numel or extent > storage.numel:
        raise DeclaredSizeError(
            f'a tensor of shape {tuple(size)} with strides {tuple(stride)} '
            f'views storage {storage.key} of {storage.numel} elements '
            f'({numel} elements asked for)'
        )


def _check_non_tensor(built: _Built) -> None:
    """Objects that allocate what a number asks for stay small."""
    name = built.global_name
    if name == 'builtins.bytearray' and built.args and _is_int(built.args[0]):
        if built.args[0] > MAX_NON_TENSOR_BYTES:
            raise DeclaredSizeError(
                f'its pickle builds a bytearray of {built.args[0]} bytes'
            )
    if name in NUMPY_RECONSTRUCT:
        shape = built.args[1] if len(built.args) > 1 else None
        shape = shape if isinstance(shape, tuple) else (shape,)
        if not all(_is_int(n) and 0 <= n <= 1 for n in shape):
            raise DeclaredSizeError(
                f'its pickle builds a numpy array of shape {shape} from '
                'nothing (numpy writes shape (0,))'
            )


def _read_zip(path: str) -> Tuple[Dict[str, zipfile.ZipInfo], str]:
    """The records by name, and the archive's folder (as torch reads it)."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    if not infos:
        raise zipfile.BadZipFile('an empty zip archive')
    declared = sum(info.file_size for info in infos)
    limit = MAX_EXPANSION * os.path.getsize(path)
    for info in infos:
        stored = info.compress_type == zipfile.ZIP_STORED
        if stored and info.file_size != info.compress_size:
            raise DeclaredSizeError(
                f'record {info.filename} declares {info.file_size} bytes '
                f'but stores {info.compress_size}'
            )
    if declared > limit:
        raise DeclaredSizeError(
            f'its zip records expand to {declared} bytes, more than '
            f'{MAX_EXPANSION} times the file ({os.path.getsize(path)} bytes)'
        )
    return {info.filename: info for info in infos}, infos[0].filename.split(
        '/'
    )[0]


def check_declared_sizes(path: str) -> None:
    """Raise unless loading ``path`` (a ``torch.save`` zip) allocates at most
    what the file can justify.

    Raises:
        DeclaredSizeError: what was declared, without the file name.
        ArchiveError: not a zip (PyTorch < 1.6 wrote such files, and so does
            damage), or a zip without a readable ``data.pkl``.
    """
    if not zipfile.is_zipfile(path):
        raise ArchiveError(
            'not a zip archive, as torch.save writes since PyTorch 1.6',
            legacy=True,
        )
    try:
        records, folder = _read_zip(path)
        pickle_info = records[f'{folder}/data.pkl']
        with zipfile.ZipFile(path) as archive:
            data = archive.read(pickle_info)
        # pure-Python scan first: a length prefix longer than the stream is
        # refused here, before the C unpickler allocates what it declares
        for _ in pickletools.genops(data):
            pass
        reader = _DeclarationReader(io.BytesIO(data))
        root = reader.load()
    except DeclaredSizeError:
        raise
    except KeyError:
        raise ArchiveError('no data.pkl record in the archive') from None
    except Exception as error:  # garbage fails the zip or pickle readers
        raise ArchiveError(f'{type(error).__name__}: {error}') from None
    for storage in reader.storages:
        record = records.get(f'{folder}/data/{storage.key}')
        if not _is_int(storage.numel) or record is None:
            raise DeclaredSizeError(
                f'storage {storage.key} has no record or no valid size'
            )
        if storage.numel * storage.itemsize != record.file_size:
            raise DeclaredSizeError(
                f'storage {storage.key} declares '
                f'{storage.numel * storage.itemsize} bytes, its record holds '
                f'{record.file_size}'
            )
    for obj in _objects(root):
        if isinstance(obj, _Built):
            if obj.global_name in TENSOR_REBUILDERS:
                _check_view(obj)
            _check_non_tensor(obj)
