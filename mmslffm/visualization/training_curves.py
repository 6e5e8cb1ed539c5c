"""Training curves from a run's scalar log, drawn to a PNG (``tools/plot_curves.py``).

mmengine's ``LocalVisBackend`` writes ``<work_dir>/<timestamp>/vis_data/scalars.json``: one
JSON record per logging step, training records (loss terms, lr) and validation records
(metrics) mixed. mmdet/mmseg ship log-analysis *scripts* outside their packages (not
importable, and tied to their own keys); this reads any task's records and plots them with
matplotlib (a ``Figure`` of its own, no pyplot state), one panel per key against the
iteration.
"""

import glob
import json
import math
import os.path as osp
from collections import defaultdict
from typing import Dict, List, Optional, Sequence, Tuple

__all__ = ['find_scalar_log', 'read_scalars', 'default_keys', 'plot_curves']

# bookkeeping fields of mmengine's records, never plotted
NOT_CURVES = {'step', 'iter', 'epoch', 'data_time', 'time', 'memory', 'eta'}
Series = Dict[str, Tuple[List[int], List[float]]]


def find_scalar_log(path: str) -> str:
    """``path`` itself if a file, else the newest ``vis_data/scalars.json`` under it."""
    if osp.isfile(path):
        return path
    if not osp.isdir(path):
        raise FileNotFoundError(f'not a run folder or log file: {path}')
    logs = sorted(
        glob.glob(
            osp.join(path, '**', 'vis_data', 'scalars.json'), recursive=True
        )
    )
    if not logs:
        raise FileNotFoundError(
            f'{path}: no vis_data/scalars.json below it (give the work dir of '
            'a tools/train.py run, or the JSON file itself)'
        )
    return logs[-1]


def read_scalars(log_file: str) -> Series:
    """{key: (steps, values)} of every numeric key of the log's records."""
    series: Series = defaultdict(lambda: ([], []))
    with open(log_file) as file:
        for number, line in enumerate(file, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                raise ValueError(
                    f'{log_file}:{number}: not a JSON record; '
                    'is this an mmengine scalars.json?'
                ) from None
            step = record.get('step', record.get('iter'))
            if step is None:
                continue
            for key, value in record.items():
                if (
                    key not in NOT_CURVES
                    and isinstance(value, (int, float))
                    and not isinstance(value, bool)
                ):
                    series[key][0].append(int(step))
                    series[key][1].append(float(value))
    return dict(series)


def default_keys(series: Series) -> List[str]:
    """Losses and lr first, then summary metrics (per-class ``X.class`` left out)."""
    losses = sorted(k for k in series if 'loss' in k)
    rates = sorted(k for k in series if k == 'lr' or k.endswith('/lr'))
    metrics = sorted(
        k
        for k in series
        if k not in losses and k not in rates and '.' not in k
    )
    return losses + rates + metrics


def plot_curves(
    series: Series,
    out_file: str,
    keys: Optional[Sequence[str]] = None,
    title: Optional[str] = None,
) -> List[str]:
    """Draw one panel per key (x: iteration) into ``out_file``; returns the keys."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    keys = list(keys) if keys else default_keys(series)
    unknown = [key for key in keys if key not in series]
    if unknown or not keys:
        raise KeyError(
            f'no curve for {unknown or "any key"} in the log; it '
            f'has {sorted(series)}'
        )
    columns = min(3, len(keys))
    rows = math.ceil(len(keys) / columns)
    figure = Figure(figsize=(4.5 * columns, 3.2 * rows))
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, columns, squeeze=False)
    for axis, key in zip(axes.flat, keys):
        steps, values = series[key]
        axis.plot(
            steps,
            values,
            marker='o' if len(steps) < 30 else None,
            markersize=3,
        )
        axis.set_title(key)
        axis.set_xlabel('iteration')
        axis.grid(alpha=0.3)
        if key == 'lr' or key.endswith('/lr'):
            axis.ticklabel_format(axis='y', style='sci', scilimits=(-3, 3))
    for axis in list(axes.flat)[len(keys) :]:
        axis.axis('off')
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(out_file, dpi=100)
    return keys
