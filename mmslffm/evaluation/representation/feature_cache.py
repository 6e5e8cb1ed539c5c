"""On-disk cache of extracted features, keyed by what determines them.

The key hashes the checkpoint's bytes, the image list (paths, sizes, modification times) and the
transform settings, so a retrained checkpoint, an edited dataset or another resolution never
reuses stale features, while re-running a probe with other hyper-parameters reuses them.
"""

import hashlib
import json
import os
import os.path as osp
from typing import Callable, List

import numpy as np

from mmslffm.utils.atomic_output import written_atomically

DEFAULT_CACHE_DIR = osp.join(
    osp.expanduser('~'), '.cache', 'mmslffm', 'features'
)


def file_digest(path: str, chunk: int = 1 << 20) -> str:
    """sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        while block := f.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def feature_key(checkpoint: str, paths: List[str], settings: dict) -> str:
    """Hex key of (checkpoint bytes, image list, transform settings)."""
    digest = hashlib.sha256(file_digest(checkpoint).encode())
    for path in paths:
        stat = os.stat(path)
        digest.update(
            f'{osp.abspath(path)}|{stat.st_size}|{stat.st_mtime_ns}\n'.encode()
        )
    digest.update(json.dumps(settings, sort_keys=True).encode())
    return digest.hexdigest()[:32]


def cached_features(
    key: str,
    compute: Callable[[], np.ndarray],
    cache_dir: str = DEFAULT_CACHE_DIR,
) -> np.ndarray:
    """Load ``cache_dir/<key>.npy`` or compute, save and return it."""
    path = osp.join(cache_dir, f'{key}.npy')
    if osp.isfile(path):
        return np.load(path)
    features = compute()
    os.makedirs(cache_dir, exist_ok=True)
    with written_atomically(path) as partial:
        np.save(partial, features)
    return features
