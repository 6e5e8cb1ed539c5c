"""GeoSense: an unlabeled archive of remote-sensing images for SLFFM pretraining.

mmpretrain's ``CustomDataset`` re-scans its folder at every start, stats nothing, and stops
training at the first unreadable file. This dataset is built for millions of images:

* sources: folder trees (recursive), list files (one path per line, relative to the source
  root), or several sources with sampling weights;
* the index is built once, with a progress display, and cached under ``index_dir`` as numpy
  arrays (:class:`~mmslffm.datasets.path_index.PathIndex`, memory-mapped on load); processes
  starting together (the ranks of a run) take turns on a file lock, so one builds and the
  others read its cache;
* no Python object per image or per sample: the paths are one byte buffer with offsets and the
  epoch is one integer array of file ids, so dataloader workers share the index without
  copy-on-write growth. mmengine's ``serialize_data`` (one pickled dict per sample) is
  bypassed: the index is already a flat buffer, and pickling 9 million dicts takes minutes;
* an unreadable file (empty, truncated, not an image, too small, a header claiming a
  decompression-bomb size) is skipped, logged once with its path and counted (shared across
  dataloader workers); training goes on;
* symlink loops in a data root are skipped with a warning naming the link, and so are file
  names the index cannot hold (a newline, bytes that are not UTF-8), counted and named with
  their bytes escaped.
"""

import ctypes
import fcntl
import hashlib
import logging
import multiprocessing
import os
import os.path as osp
import time
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.dataset import BaseDataset
from mmengine.logging import print_log
from rich.progress import Progress, SpinnerColumn, TextColumn

from mmslffm.registry import DATASETS
from .image_io import IMAGE_SUFFIXES, UnreadableImageError
from .path_index import PathIndex

MAX_REPORTED = 10  # bad names listed one by one; the rest are counted
DEFAULT_INDEX_DIR = osp.join(
    osp.expanduser('~'), '.cache', 'mmslffm', 'geosense_index'
)


def scan_images(root: str, suffixes: Sequence[str]) -> List[str]:
    """Relative paths of all images under ``root``, sorted, with progress.

    Symbolic links are followed, but a folder already visited (a symlink
    loop, or two links to one folder) is skipped with a warning naming the
    link, and so is a folder that cannot be listed. Names that are not
    UTF-8 or hold a newline (:func:`bad_name`) are skipped and reported.
    """
    found: List[str] = []
    bad_names: List[str] = []
    root_stat = os.stat(root)
    visited = {(root_stat.st_dev, root_stat.st_ino)}
    stack = [root]
    with Progress(
        SpinnerColumn(), TextColumn('{task.description}'), transient=True
    ) as progress:
        task = progress.add_task(f'indexing {root}')
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError as err:
                _warn(f'GeoSense: cannot list {folder} ({err}); skipped')
                continue
            for entry in entries:
                if _is_folder(entry):
                    key = _folder_key(entry)
                    if key is None or key in visited:
                        _warn(
                            f'GeoSense: {entry.path} is a symlink loop or '
                            'a second link to a folder already indexed, '
                            'or unreadable; skipped'
                        )
                        continue
                    visited.add(key)
                    stack.append(entry.path)
                elif entry.name.lower().endswith(suffixes):
                    if bad_name(entry.path):
                        bad_names.append(entry.path)
                        continue
                    if entry.is_symlink() and not osp.exists(entry.path):
                        _warn(
                            f'GeoSense: {entry.path} is a broken or looping '
                            'symlink; skipped'
                        )
                        continue
                    found.append(osp.relpath(entry.path, root))
            progress.update(
                task, description=f'indexing {root}: {len(found)} images'
            )
    report_bad_names(root, bad_names)
    return sorted(found)


def bad_name(path: str) -> Optional[str]:
    """Why the index cannot hold ``path`` (a newline, not UTF-8), or None.

    ``path`` as Python decodes file names (undecodable bytes as surrogates).
    """
    if '\n' in path:
        return 'has a newline in its name'
    try:
        path.encode('utf-8')
    except UnicodeEncodeError:
        return 'has bytes that are not UTF-8 in its name'
    return None


def report_bad_names(where: str, paths: List[str]) -> None:
    """Warn about skipped names, the first few by name (bytes escaped)."""
    for path in paths[:MAX_REPORTED]:
        _warn(
            f'GeoSense: {_shown(path)} {bad_name(path)}; skipped (rename it '
            'with UTF-8 characters and no newline)'
        )
    if paths:
        _warn(
            f'GeoSense: skipped {len(paths)} file(s) in {where} whose names '
            f'cannot be indexed ({max(len(paths) - MAX_REPORTED, 0)} not '
            'listed above)'
        )


def _shown(path: str) -> str:
    """``path`` printable on one line: its bytes, escaped where needed."""
    return repr(os.fsencode(path))[2:-1]


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:  # a link loop pointing at itself
        return False


def _folder_key(entry: os.DirEntry) -> Optional[tuple]:
    """(device, inode) of the folder a directory entry leads to."""
    try:
        stat = entry.stat(follow_symlinks=True)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _warn(message: str) -> None:
    print_log(message, logger='current', level=logging.WARNING)


def read_list_file(list_file: str) -> List[str]:
    """Paths listed one per line; blank lines and ``#`` comments ignored.

    Lines that are not UTF-8 are skipped and reported (:func:`bad_name`).
    """
    with open(list_file, encoding='utf-8', errors='surrogateescape') as f:
        lines = (line.strip() for line in f)
        paths = [line for line in lines if line and not line.startswith('#')]
    bad = [path for path in paths if bad_name(path)]
    report_bad_names(list_file, bad)
    return [path for path in paths if not bad_name(path)] if bad else paths


class SkipCounter:
    """Which files were found unreadable, shared by the dataloader workers.

    Flags and count live in shared memory (inherited by forked workers), so
    every bad file is reported once and the count is exact.
    """

    def __init__(self, num_files: int):
        self._flags = multiprocessing.Array(ctypes.c_bool, num_files)
        self._count = multiprocessing.Value(ctypes.c_long, 0, lock=False)

    def is_marked(self, file_id: int) -> bool:
        return self._flags.get_obj()[file_id]  # a byte read needs no lock

    def mark(self, file_id: int) -> bool:
        """Flag a file; True if this call was the first to flag it."""
        with self._flags.get_lock():
            if self._flags[file_id]:
                return False
            self._flags[file_id] = True
            self._count.value += 1
            return True

    @property
    def count(self) -> int:
        return self._count.value


@DATASETS.register_module()
class GeoSense(BaseDataset):
    """Unlabeled images from one or more sources.

    Args:
        data_root: a single source's root folder (used when ``sources`` is
            None), scanned recursively unless ``ann_file`` is given.
        ann_file: a list file, one image path per line, relative to its
            source root.
        sources: several sources, each ``dict(data_root=..., ann_file=None,
            weight=1.0)``. ``weight`` scales how often a source's images
            appear per epoch: 2.0 lists each twice, 0.5 a fixed random half.
        index_dir: where built indexes are cached (two ``.npy`` files per
            source, see :class:`PathIndex`).
        rebuild_index: scan again even if a cached index exists (after
            adding images to a folder).
        suffixes: image file endings to index.
        seed: for the subset drawn by weights below 1.
        **kwargs: :class:`mmengine.dataset.BaseDataset` arguments
            (``pipeline``, ``max_refetch``, ``indices``, ...);
            ``serialize_data`` is ignored (the index is always compact).

    Example:
        >>> GeoSense(sources=[dict(data_root='data/millionaid', weight=1.),
        ...                   dict(data_root='data/dota', ann_file='list.txt',
        ...                        weight=0.5)], pipeline=[...])
    """

    def __init__(
        self,
        data_root: Optional[str] = None,
        ann_file: str = '',
        sources: Optional[List[Dict]] = None,
        index_dir: str = DEFAULT_INDEX_DIR,
        rebuild_index: bool = False,
        suffixes: Sequence[str] = IMAGE_SUFFIXES,
        seed: int = 0,
        **kwargs,
    ):
        if sources is None:
            if data_root is None:
                raise ValueError(
                    'GeoSense needs data_root (a folder of '
                    'images) or sources=[dict(data_root=...)]'
                )
            sources = [dict(data_root=data_root, ann_file=ann_file)]
        self.sources = [dict(s) for s in sources]
        self.index_dir = index_dir
        self.rebuild_index = rebuild_index
        self.suffixes = tuple(s.lower() for s in suffixes)
        self.seed = seed
        self.skipped: Optional[SkipCounter] = None
        self.roots: List[str] = []
        self.indexes: List[PathIndex] = []
        self.first_file_ids = np.zeros(1, np.int64)
        self.sample_file_ids = np.zeros(0, np.int64)
        kwargs['serialize_data'] = False
        super().__init__(data_root='', ann_file='', **kwargs)

    # ------------------------------------------------------------- index
    def full_init(self) -> None:
        """Load (or build) every source's index and draw the epoch's file ids.

        Replaces :meth:`BaseDataset.full_init`: no ``data_list`` of dicts.
        """
        if self._fully_initialized:
            return
        self.roots = [self._source_root(s) for s in self.sources]
        self.indexes = [
            self._source_index(root, source)
            for root, source in zip(self.roots, self.sources)
        ]
        sizes = [len(index) for index in self.indexes]
        self.first_file_ids = np.cumsum([0] + sizes)
        self.sample_file_ids = self._draw_samples(sizes)
        if self._indices is not None:
            self.sample_file_ids = self._subset(
                self.sample_file_ids, self._indices
            )
        if not len(self.sample_file_ids):
            raise ValueError(
                'GeoSense: no images in '
                f'{[s["data_root"] for s in self.sources]} (expected folders '
                f'of {"/".join(self.suffixes)} files, or list files of paths)'
            )
        self.skipped = SkipCounter(self.num_files)
        print_log(
            f'GeoSense: {self.num_files} images from '
            f'{len(self.sources)} source(s), {len(self)} samples '
            f'per epoch, index {self.index_nbytes / 2**20:.1f} MiB',
            logger='current',
        )
        self._fully_initialized = True

    def _draw_samples(self, sizes: List[int]) -> np.ndarray:
        """(num_samples, ) file ids of one epoch by source weight, sorted
        within each source."""
        rng = np.random.default_rng(self.seed)
        dtype = np.uint32 if sum(sizes) < 2**32 else np.int64
        chosen = []
        for source, first, size in zip(
            self.sources, self.first_file_ids, sizes
        ):
            ids = np.arange(first, first + size, dtype=dtype)
            weight = float(source.get('weight', 1.0))
            whole, fraction = int(weight), weight - int(weight)
            parts = [np.tile(ids, whole)]
            if fraction:
                parts.append(
                    rng.choice(ids, round(fraction * size), replace=False)
                )
            chosen.append(np.sort(np.concatenate(parts)))
        return np.concatenate(chosen)

    @staticmethod
    def _subset(file_ids: np.ndarray, indices) -> np.ndarray:
        """``indices`` as in BaseDataset: the first n (int, negative: the
        last n) or the given sample indices."""
        if isinstance(indices, int):
            return file_ids[:indices] if indices >= 0 else file_ids[indices:]
        return file_ids[np.asarray(indices, np.int64)]

    def _source_root(self, source: dict) -> str:
        root = osp.abspath(osp.expanduser(source['data_root']))
        if not osp.isdir(root):
            raise FileNotFoundError(
                f'GeoSense: data root {root} does not exist (set data_root '
                'to a folder of images, see configs/_base_/datasets/'
                'geosense.py)'
            )
        return root

    def _source_index(self, root: str, source: dict) -> PathIndex:
        """Paths of one source relative to its root, cached when possible."""
        list_file = source.get('ann_file') or ''
        if list_file and not osp.isabs(list_file):
            list_file = osp.join(root, list_file)
        if list_file and not osp.isfile(list_file):
            raise FileNotFoundError(
                f'GeoSense: list file {list_file} does not exist (one '
                'image path per line, relative to data_root)'
            )
        listed = list_file or root
        stat = os.stat(listed)
        size = stat.st_size if list_file else ''
        key = f'{listed}|{stat.st_mtime_ns}|{size}|{",".join(self.suffixes)}'
        cache = osp.join(
            self.index_dir, hashlib.sha1(key.encode()).hexdigest()[:16]
        )
        if PathIndex.exists(cache) and not self.rebuild_index:
            return self._read_cache(listed, cache)
        started = time.time()
        os.makedirs(self.index_dir, exist_ok=True)
        # Processes starting together (ranks of one run) build one at a time:
        # the first builds, the others wait for the lock and read its cache.
        with open(f'{cache}.lock', 'w') as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if PathIndex.exists(cache) and (
                not self.rebuild_index or PathIndex.mtime(cache) >= started
            ):
                return self._read_cache(listed, cache)
            paths = (
                read_list_file(list_file)
                if list_file
                else scan_images(root, self.suffixes)
            )
            PathIndex.from_paths(paths).save(cache)
            index = PathIndex.load(cache)  # mapped: shared via page cache
        print_log(
            f'GeoSense: indexed {len(index)} images of {listed}, '
            f'cached in {cache}.*.npy',
            logger='current',
        )
        return index

    @staticmethod
    def _read_cache(listed: str, cache: str) -> PathIndex:
        print_log(
            f'GeoSense: index of {listed} read from {cache}.*.npy '
            '(rebuild_index=True rescans)',
            logger='current',
        )
        return PathIndex.load(cache)

    @property
    def num_files(self) -> int:
        """Distinct image files over all sources."""
        return int(self.first_file_ids[-1])

    @property
    def index_nbytes(self) -> int:
        """Bytes held by the index: paths, offsets and the epoch's ids."""
        return (
            sum(index.nbytes for index in self.indexes)
            + self.sample_file_ids.nbytes
        )

    def file_path(self, file_id: int) -> str:
        """Absolute path of image ``file_id`` (0 <= file_id < num_files)."""
        source = (
            int(np.searchsorted(self.first_file_ids, file_id, side='right'))
            - 1
        )
        local = file_id - int(self.first_file_ids[source])
        return osp.join(self.roots[source], self.indexes[source][local])

    def __len__(self) -> int:
        return len(self.sample_file_ids)

    def get_data_info(self, idx: int) -> dict:
        """``dict(img_path, file_id, sample_idx)`` of sample ``idx``."""
        sample_idx = idx if idx >= 0 else len(self) + idx
        file_id = int(self.sample_file_ids[idx])
        return dict(
            img_path=self.file_path(file_id),
            file_id=file_id,
            sample_idx=sample_idx,
        )

    # ---------------------------------------------------------- loading
    def prepare_data(self, idx: int) -> Optional[dict]:
        """The sample, or None (BaseDataset then draws another) if unreadable."""
        info = self.get_data_info(idx)
        if self.skipped.is_marked(info['file_id']):
            return None
        try:
            return self.pipeline(info)
        except UnreadableImageError as err:
            if self.skipped.mark(info['file_id']):
                print_log(
                    f'GeoSense: skipped unreadable image {err} '
                    f'({self.skipped.count} skipped so far)',
                    logger='current',
                    level=logging.WARNING,
                )
            return None

    @property
    def num_skipped(self) -> int:
        """How many distinct files were found unreadable so far."""
        return self.skipped.count if self.skipped else 0
