"""A compact, shareable list of file paths for archives of millions of images.

A Python list of 9 million path strings costs about 1 GB and, worse, every dataloader worker
forked from the main process slowly copies it: reading an element writes its reference count,
which dirties the page holding it (copy-on-write). mmengine's ``serialize_data`` avoids the
refcount problem by pickling one dict per sample into a byte array, but building and pickling
9 million dicts takes minutes and about 100 bytes per sample.

:class:`PathIndex` keeps the paths as two numpy arrays and nothing else:

* ``names`` (uint8, total bytes): every path, UTF-8, each followed by ``\\n``;
* ``offsets`` (int64, N + 1): where each path starts; path ``i`` is
  ``names[offsets[i]:offsets[i + 1] - 1]``.

Numpy buffers have no per-element reference counts, so forked workers share the pages for
good; saved as two ``.npy`` files (``allow_pickle=False``) and memory-mapped on load, they are
also shared through the page cache by every process on a node (all ranks and their workers).
"""

import os
import os.path as osp
from typing import List

import numpy as np

NEWLINE = ord('\n')


class PathIndex:
    """Paths as one byte buffer plus offsets.

    Args:
        names: (total_bytes, ) uint8, each path followed by ``\\n``.
        offsets: (N + 1, ) int64, start of each path, then ``len(names)``.
    """

    def __init__(self, names: np.ndarray, offsets: np.ndarray):
        self.names = names
        self.offsets = offsets

    @classmethod
    def from_paths(cls, paths: List[str]) -> 'PathIndex':
        """Pack paths (which must not contain a newline)."""
        if not paths:
            return cls(np.zeros(0, np.uint8), np.zeros(1, np.int64))
        names = np.frombuffer(('\n'.join(paths) + '\n').encode(), np.uint8)
        ends = np.flatnonzero(names == NEWLINE)
        if len(ends) != len(paths):
            raise ValueError('a path contains a newline character')
        offsets = np.empty(len(paths) + 1, np.int64)
        offsets[0] = 0
        offsets[1:] = ends + 1
        return cls(names, offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        start, end = self.offsets[i], self.offsets[i + 1] - 1
        return self.names[start:end].tobytes().decode()

    @property
    def nbytes(self) -> int:
        return self.names.nbytes + self.offsets.nbytes

    def save(self, prefix: str) -> None:
        """Write ``PREFIX.names.npy`` and ``PREFIX.offsets.npy`` atomically
        (the offsets file, written last, marks a complete index)."""
        os.makedirs(osp.dirname(prefix) or '.', exist_ok=True)
        for part in ('names', 'offsets'):
            tmp = f'{prefix}.{os.getpid()}.tmp.npy'
            np.save(tmp, getattr(self, part), allow_pickle=False)
            os.replace(tmp, f'{prefix}.{part}.npy')

    @staticmethod
    def exists(prefix: str) -> bool:
        return osp.isfile(f'{prefix}.offsets.npy')

    @staticmethod
    def mtime(prefix: str) -> float:
        return osp.getmtime(f'{prefix}.offsets.npy')

    @classmethod
    def load(cls, prefix: str, mmap: bool = True) -> 'PathIndex':
        """Read an index written by :meth:`save`, memory-mapped by default."""
        mode = 'r' if mmap else None
        return cls(
            np.load(f'{prefix}.names.npy', mmap_mode=mode, allow_pickle=False),
            np.load(
                f'{prefix}.offsets.npy', mmap_mode=mode, allow_pickle=False
            ),
        )
