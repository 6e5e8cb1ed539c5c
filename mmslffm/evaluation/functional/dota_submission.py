"""DOTA Task1 submission files from merged scene detections.

The server (https://captain-whu.github.io/DOTA/evaluation.html) takes a zip of
``Task1_<class>.txt`` files, one line per detection: ``image score x1 y1 x2 y2 x3 y3 x4 y4``.
mmrotate writes the same files but rounds scores to 2 decimals, which ties detections and
changes the ranking the server's AP is computed from; scores are written with 6 here.
"""

import os
import os.path as osp
import zipfile
from typing import Dict, List, Sequence

import numpy as np

from mmslffm.datasets.polygons import rboxes_to_polygons

__all__ = ['rboxes_to_polygons', 'write_task1_submission']


def write_task1_submission(
    merged: Dict[str, List[np.ndarray]], classes: Sequence[str], out_dir: str
) -> str:
    """Write ``Task1_<class>.txt`` for every class and ``Task1.zip`` with them.

    Args:
        merged: ``{scene id: per-class (M, 6) cx, cy, w, h, angle, score}`` as
            returned by :func:`merge_patch_detections`.
        classes: class names, in label order.
        out_dir: created if needed; existing Task1 files are replaced.

    Returns:
        Path of the zip.
    """
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for label, class_name in enumerate(classes):
        path = osp.join(out_dir, f'Task1_{class_name}.txt')
        with open(path, 'w') as handle:
            for scene in sorted(merged):
                dets = merged[scene][label]
                polygons = rboxes_to_polygons(dets)
                for polygon, score in zip(polygons, dets[:, 5]):
                    coords = ' '.join(f'{v:.2f}' for v in polygon)
                    handle.write(f'{scene} {score:.6f} {coords}\n')
        paths.append(path)
    zip_path = osp.join(out_dir, 'Task1.zip')
    with zipfile.ZipFile(zip_path, 'w', zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            archive.write(path, osp.basename(path))
    return zip_path
