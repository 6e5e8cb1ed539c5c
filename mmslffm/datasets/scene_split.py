"""Seeded per-class train/test splits of a folder-per-class scene classification dataset.

UC Merced, AID and NWPU-RESISC45 are released as ``ROOT/<class>/<image>`` with no official
split: papers draw a fixed fraction per class at random (UCM 80% train; AID 20% or 50%; NWPU
10% or 20%). This module scans such a tree and draws that split reproducibly; the lists it writes
are mmpretrain ``CustomDataset`` annotation files (``<class>/<image> <label>`` per line).
mmpretrain scans folders but draws no split, hence this module.
"""

import os
import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

import numpy as np

from .image_io import IMAGE_SUFFIXES


@dataclass
class SceneSamples:
    """Images of a folder-per-class tree.

    Attributes:
        root: the tree's root folder.
        classes: class names (sorted folder names); label i is classes[i].
        files: image paths relative to ``root``, sorted.
        labels: label of each file.
    """

    root: str
    classes: List[str]
    files: List[str]
    labels: List[int]

    def paths(self, indices: Sequence[int] = None) -> List[str]:
        """Absolute paths of ``indices`` (all files when None)."""
        indices = range(len(self.files)) if indices is None else indices
        return [osp.join(self.root, self.files[i]) for i in indices]


def scan_class_folders(root: str) -> SceneSamples:
    """Read ``root/<class>/<image>`` (JPG/PNG/TIF, any depth below the class).

    Raises:
        NotADirectoryError / ValueError with the fix when ``root`` is not a
        folder of class folders holding images.
    """
    if not osp.isdir(root):
        raise NotADirectoryError(
            f'{root}: no such folder (give the folder whose sub-folders are '
            'the classes, e.g. UCMerced_LandUse/Images)'
        )
    classes = sorted(
        d
        for d in os.listdir(root)
        if osp.isdir(osp.join(root, d)) and not d.startswith('.')
    )
    files, labels = [], []
    for label, name in enumerate(classes):
        found = []
        for folder, _, names in os.walk(osp.join(root, name)):
            found += [
                osp.relpath(osp.join(folder, n), root)
                for n in names
                if n.lower().endswith(IMAGE_SUFFIXES)
            ]
        files += sorted(found)
        labels += [label] * len(found)
    empty = [c for i, c in enumerate(classes) if i not in set(labels)]
    if not classes or empty:
        raise ValueError(
            f'{root}: expected one sub-folder of images per class; '
            + (
                f'class folders without images: {empty[:5]}'
                if classes
                else 'found no sub-folder'
            )
        )
    return SceneSamples(root=root, classes=classes, files=files, labels=labels)


def split_per_class(
    labels: Sequence[int],
    train_fraction: float = None,
    seed: int = 0,
    train_per_class: int = None,
) -> Tuple[np.ndarray, np.ndarray]:
    """Draw a seeded stratified split.

    Each class keeps ``round(n_c * train_fraction)`` (or ``train_per_class``)
    of its ``n_c`` samples for training, at least one on each side.

    Returns:
        (train indices, test indices), each sorted.
    """
    if (train_fraction is None) == (train_per_class is None):
        raise ValueError(
            'give exactly one of train_fraction and train_per_class'
        )
    if train_fraction is not None and not 0 < train_fraction < 1:
        raise ValueError(
            f'train_fraction must be in (0, 1), got {train_fraction}'
        )
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        count = (
            round(len(members) * train_fraction)
            if train_per_class is None
            else train_per_class
        )
        if not 1 <= count < len(members):
            raise ValueError(
                f'class {label} has {len(members)} samples: cannot keep '
                f'{count} for training and at least one for testing'
            )
        train += members[:count].tolist()
        test += members[count:].tolist()
    return np.sort(train), np.sort(test)


def write_split_lists(
    samples: SceneSamples, out_dir: str, splits: Dict[str, Sequence[int]]
) -> Dict[str, str]:
    """Write ``<name>.txt`` per split and ``classes.txt`` under ``out_dir``.

    Returns:
        {split name: path written}.
    """
    os.makedirs(out_dir, exist_ok=True)
    written = {}
    for name, indices in splits.items():
        path = osp.join(out_dir, f'{name}.txt')
        with open(path, 'w') as f:
            f.writelines(
                f'{samples.files[i]} {samples.labels[i]}\n' for i in indices
            )
        written[name] = path
    with open(osp.join(out_dir, 'classes.txt'), 'w') as f:
        f.writelines(f'{name}\n' for name in samples.classes)
    return written
