"""GeoSense: an unlabeled archive of remote-sensing images for SLFFM pretraining.

mmpretrain's ``CustomDataset`` re-scans its folder at every start, stats nothing, and stops
training at the first unreadable file. This dataset is built for millions of images:

* sources: folder trees (recursive), list files (one path per line, relative to the source
  root), or several sources with sampling weights;
* the index is built once, with a progress display, and cached under ``index_dir``;
* an unreadable file (empty, truncated, not an image, too small, a header claiming a
  decompression-bomb size) is skipped, logged once with its path and counted (shared across
  dataloader workers); training goes on;
* symlink loops in a data root are skipped with a warning naming the link.
"""
import ctypes
import hashlib
import logging
import multiprocessing
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.dataset import BaseDataset
from mmengine.logging import print_log
from rich.progress import Progress, SpinnerColumn, TextColumn

from mmslffm.registry import DATASETS
from .image_io import IMAGE_SUFFIXES, UnreadableImageError

DEFAULT_INDEX_DIR = osp.join(osp.expanduser('~'), '.cache', 'mmslffm',
                             'geosense_index')


def scan_images(root: str, suffixes: Sequence[str]) -> List[str]:
    """Relative paths of all images under ``root``, sorted, with progress.

    Symbolic links are followed, but a folder already visited (a symlink
    loop, or two links to one folder) is skipped with a warning naming the
    link, and so is a folder that cannot be listed.
    """
    found: List[str] = []
    root_stat = os.stat(root)
    visited = {(root_stat.st_dev, root_stat.st_ino)}
    stack = [root]
    with Progress(SpinnerColumn(), TextColumn('{task.description}'),
                  transient=True) as progress:
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
                        _warn(f'GeoSense: {entry.path} is a symlink loop or '
                              'a second link to a folder already indexed, '
                              'or unreadable; skipped')
                        continue
                    visited.add(key)
                    stack.append(entry.path)
                elif entry.name.lower().endswith(suffixes):
                    if entry.is_symlink() and not osp.exists(entry.path):
                        _warn(f'GeoSense: {entry.path} is a broken or looping '
                              'symlink; skipped')
                        continue
                    found.append(osp.relpath(entry.path, root))
            progress.update(task, description=f'indexing {root}: '
                            f'{len(found)} images')
    return sorted(found)


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
    """Paths listed one per line; blank lines and ``#`` comments ignored."""
    with open(list_file) as f:
        lines = (line.strip() for line in f)
        return [line for line in lines if line and not line.startswith('#')]


class SkipCounter:
    """Which files were found unreadable, shared by the dataloader workers.

    Flags and count live in shared memory (inherited by forked workers), so
    every bad file is reported once and the count is exact.
    """

    def __init__(self, num_files: int):
        self._flags = multiprocessing.Array(ctypes.c_bool, num_files)
        self._count = multiprocessing.Value(ctypes.c_long, 0, lock=False)

    def is_marked(self, file_id: int) -> bool:
        return self._flags[file_id]

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
        index_dir: where built indexes are cached (one file per source).
        rebuild_index: scan again even if a cached index exists (after
            adding images to a folder).
        suffixes: image file endings to index.
        seed: for the subset drawn by weights below 1.
        **kwargs: :class:`mmengine.dataset.BaseDataset` arguments
            (``pipeline``, ``max_refetch``, ...).

    Example:
        >>> GeoSense(sources=[dict(data_root='data/millionaid', weight=1.),
        ...                   dict(data_root='data/dota', ann_file='list.txt',
        ...                        weight=0.5)], pipeline=[...])
    """

    def __init__(self,
                 data_root: Optional[str] = None,
                 ann_file: str = '',
                 sources: Optional[List[Dict]] = None,
                 index_dir: str = DEFAULT_INDEX_DIR,
                 rebuild_index: bool = False,
                 suffixes: Sequence[str] = IMAGE_SUFFIXES,
                 seed: int = 0,
                 **kwargs):
        if sources is None:
            if data_root is None:
                raise ValueError('GeoSense needs data_root (a folder of '
                                 'images) or sources=[dict(data_root=...)]')
            sources = [dict(data_root=data_root, ann_file=ann_file)]
        self.sources = [dict(s) for s in sources]
        self.index_dir = index_dir
        self.rebuild_index = rebuild_index
        self.suffixes = tuple(s.lower() for s in suffixes)
        self.seed = seed
        self.skipped: Optional[SkipCounter] = None
        self.file_paths: List[str] = []
        super().__init__(data_root='', ann_file='', **kwargs)

    # ------------------------------------------------------------- index
    def load_data_list(self) -> List[dict]:
        rng = np.random.default_rng(self.seed)
        self.file_paths, data_list = [], []
        for source in self.sources:
            paths = self._source_index(source)
            first_id = len(self.file_paths)
            self.file_paths.extend(paths)
            ids = np.arange(first_id, first_id + len(paths))
            weight = float(source.get('weight', 1.))
            whole, fraction = int(weight), weight - int(weight)
            chosen = list(np.tile(ids, whole))
            if fraction:
                chosen += list(rng.choice(ids, round(fraction * len(ids)),
                                          replace=False))
            data_list += [
                dict(img_path=self.file_paths[i], file_id=int(i))
                for i in sorted(chosen)
            ]
        if not data_list:
            raise ValueError(
                'GeoSense: no images in '
                f"{[s['data_root'] for s in self.sources]} (expected folders "
                f'of {"/".join(self.suffixes)} files, or list files of paths)')
        self.skipped = SkipCounter(len(self.file_paths))
        print_log(f'GeoSense: {len(self.file_paths)} images from '
                  f'{len(self.sources)} source(s), {len(data_list)} samples '
                  'per epoch', logger='current')
        return data_list

    def _source_index(self, source: dict) -> List[str]:
        """Absolute image paths of one source, from the cache when possible."""
        root = osp.abspath(osp.expanduser(source['data_root']))
        list_file = source.get('ann_file') or ''
        if list_file and not osp.isabs(list_file):
            list_file = osp.join(root, list_file)
        if not osp.isdir(root):
            raise FileNotFoundError(
                f'GeoSense: data root {root} does not exist (set data_root '
                'to a folder of images, see configs/_base_/datasets/'
                'geosense.py)')
        if list_file:
            if not osp.isfile(list_file):
                raise FileNotFoundError(
                    f'GeoSense: list file {list_file} does not exist (one '
                    'image path per line, relative to data_root)')
            relative = read_list_file(list_file)
        else:
            relative = self._cached_scan(root)
        return [osp.join(root, p) for p in relative]

    def _cached_scan(self, root: str) -> List[str]:
        key = f'{root}|{os.stat(root).st_mtime_ns}|{",".join(self.suffixes)}'
        cache = osp.join(self.index_dir,
                         hashlib.sha1(key.encode()).hexdigest()[:16] + '.txt')
        if osp.isfile(cache) and not self.rebuild_index:
            print_log(f'GeoSense: index of {root} read from {cache} '
                      '(rebuild_index=True rescans)', logger='current')
            return read_list_file(cache)
        paths = scan_images(root, self.suffixes)
        os.makedirs(self.index_dir, exist_ok=True)
        tmp = f'{cache}.{os.getpid()}.tmp'
        with open(tmp, 'w') as f:
            f.write(f'# GeoSense index of {root}\n')
            f.writelines(p + '\n' for p in paths)
        os.replace(tmp, cache)
        print_log(f'GeoSense: indexed {len(paths)} images under {root}, '
                  f'cached in {cache}', logger='current')
        return paths

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
                print_log(f'GeoSense: skipped unreadable image {err} '
                          f'({self.skipped.count} skipped so far)',
                          logger='current', level=logging.WARNING)
            return None

    @property
    def num_skipped(self) -> int:
        """How many distinct files were found unreadable so far."""
        return self.skipped.count if self.skipped else 0

