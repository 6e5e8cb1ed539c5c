"""Read and write DOTA ``labelTxt`` files, reporting bad lines instead of failing.

mmrotate's ``DOTADataset`` indexes ``line.split()[:10]`` directly, so a header line
(``imagesource:...``, ``gsd:...``), a short line or an unknown class name stops the whole run
with a bare ``IndexError``/``KeyError``, and NaN/inf coordinates pass as NaN boxes. This module
parses one file into objects plus a list of problems, each naming the file and line, so callers
can report them and go on. Non-finite, absurd (beyond 1e6 px) and degenerate (under one pixel
of area) polygons are problems too.

Line format: ``x1 y1 x2 y2 x3 y3 x4 y4 class_name [difficult]`` (difficult defaults to 0).
"""

from dataclasses import dataclass, field
from typing import Iterable, List, Sequence

import numpy as np

from .polygons import polygon_problem

__all__ = [
    'DOTA_CLASSES',
    'DotaObject',
    'LabelFile',
    'read_dota_labels',
    'write_dota_labels',
]

DOTA_CLASSES = (
    'plane',
    'baseball-diamond',
    'bridge',
    'ground-track-field',
    'small-vehicle',
    'large-vehicle',
    'ship',
    'tennis-court',
    'basketball-court',
    'storage-tank',
    'soccer-ball-field',
    'roundabout',
    'harbor',
    'swimming-pool',
    'helicopter',
)

# Metadata lines of the original DOTA-v1.0 label files.
HEADER_PREFIXES = ('imagesource:', 'gsd:')


@dataclass
class DotaObject:
    """One labelled object: ``polygon`` (8,) float32 x1 y1 ... x4 y4.

    ``line`` is its 1-based line in the label file it was read from (0 when
    made in code), for reports.
    """

    polygon: np.ndarray
    class_name: str
    difficult: int = 0
    line: int = 0


@dataclass
class LabelFile:
    """What a label file holds: its objects and its bad lines (``file:line: why``)."""

    path: str
    objects: List[DotaObject] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)


def read_dota_labels(path: str, classes: Sequence[str]) -> LabelFile:
    """Parse a DOTA label file; bad lines go to ``problems``, not exceptions.

    Args:
        path: the ``.txt`` file.
        classes: accepted class names; others are reported and skipped.

    Returns:
        LabelFile with the valid objects and one message per bad line.
    """
    accepted = set(classes)
    label_file = LabelFile(path=path)
    with open(path, encoding='utf-8', errors='replace') as handle:
        for line_number, line in enumerate(handle, start=1):
            text = line.strip()
            if not text or text.startswith(HEADER_PREFIXES):
                continue
            where = f'{path}:{line_number}'
            fields = text.split()
            if len(fields) < 9:
                label_file.problems.append(
                    f'{where}: expected 8 coordinates and a class name, got '
                    f'{len(fields)} fields ({text!r}); line skipped, fix or '
                    'delete it'
                )
                continue
            try:
                coordinates = np.array([float(v) for v in fields[:8]])
            except ValueError:
                label_file.problems.append(
                    f'{where}: coordinates are not numbers ({text!r}); line '
                    'skipped'
                )
                continue
            problem = polygon_problem(coordinates)
            if problem is not None:
                label_file.problems.append(
                    f'{where}: {problem} ({text!r}); line skipped, fix or '
                    'delete it'
                )
                continue
            polygon = coordinates.astype(np.float32)
            class_name = fields[8]
            if class_name not in accepted:
                label_file.problems.append(
                    f'{where}: unknown class {class_name!r} (known: '
                    f'{", ".join(classes)}); line skipped'
                )
                continue
            difficult = 0
            if len(fields) > 9:
                try:
                    difficult = int(fields[9])
                except ValueError:
                    label_file.problems.append(
                        f'{where}: difficulty {fields[9]!r} is not an integer;'
                        ' read as 0'
                    )
            label_file.objects.append(
                DotaObject(polygon, class_name, difficult, line_number)
            )
    return label_file


def write_dota_labels(path: str, objects: Iterable[DotaObject]) -> None:
    """Write objects as DOTA label lines (no header), coordinates with 2 decimals."""
    lines = []
    for obj in objects:
        coords = ' '.join(f'{v:.2f}' for v in obj.polygon)
        lines.append(f'{coords} {obj.class_name} {obj.difficult}\n')
    with open(path, 'w', encoding='utf-8') as handle:
        handle.writelines(lines)
