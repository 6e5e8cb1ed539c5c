"""Scene classification scores as remote-sensing papers report them, from mmpretrain's
confusion matrix.

UCM / AID / NWPU-RESISC45 results are given as overall accuracy (OA), often with the mean of the
per-class accuracies and a confusion matrix. mmpretrain's ``ConfusionMatrix`` counts the matrix
(reused here: ``process`` and ``calculate``); this metric derives the scores from it, prints a
per-class table and draws the matrix with :func:`mmslffm.visualization.draw_confusion_matrix`.
"""

import json
import os
import os.path as osp
from typing import Dict, List, Optional

import numpy as np
import torch
from mmengine.logging import print_log
from mmengine.visualization import Visualizer
from mmpretrain.evaluation import ConfusionMatrix

from mmslffm.registry import METRICS
from mmslffm.visualization.confusion_matrix import draw_confusion_matrix


def scene_scores(matrix: np.ndarray) -> Dict[str, object]:
    """OA, per-class and mean per-class accuracy (%) of a (C, C) matrix.

    Rows are ground truth, columns predictions. A class without test
    samples has accuracy NaN and is left out of the mean.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    support = matrix.sum(1)
    with np.errstate(invalid='ignore', divide='ignore'):
        per_class = 100.0 * np.diag(matrix) / support
    return dict(
        OA=100.0 * np.trace(matrix) / max(matrix.sum(), 1),
        mAcc=float(np.nanmean(per_class)),
        per_class=per_class,
        support=support,
    )


def format_table(classes: List[str], scores: dict) -> str:
    """Per-class accuracy table, worst classes first."""
    width = max(len(c) for c in classes + ['class'])
    lines = [
        f'{"class":<{width}}  accuracy  images',
        f'{"-" * width}  --------  ------',
    ]
    order = np.argsort(
        np.nan_to_num(scores['per_class'], nan=1e9), kind='stable'
    )
    for i in order:
        lines.append(
            f'{classes[i]:<{width}}  {scores["per_class"][i]:8.2f}'
            f'  {int(scores["support"][i]):6d}'
        )
    lines.append(
        f'{"OA":<{width}}  {scores["OA"]:8.2f}  '
        f'{int(scores["support"].sum()):6d}'
    )
    lines.append(f'{"mean per class":<{width}}  {scores["mAcc"]:8.2f}')
    return '\n'.join(lines)


@METRICS.register_module()
class SceneClassificationMetric(ConfusionMatrix):
    """OA, mean per-class accuracy, per-class table and a confusion-matrix PNG.

    Metrics (%): ``scene/OA`` and ``scene/mAcc``. The table is printed to
    the log; the PNG goes to the visualizer's backends (``vis_data/
    vis_image/confusion_matrix_*.png`` under the run's log folder) and, with
    ``out_dir``, to ``out_dir/confusion_matrix.png`` with the per-class
    scores in ``out_dir/scene_scores.json``.

    Args:
        out_dir: optional folder for the PNG and the JSON.
        prefix: metric name prefix.
    """

    default_prefix = 'scene'

    def __init__(
        self,
        out_dir: Optional[str] = None,
        collect_device: str = 'cpu',
        prefix: Optional[str] = None,
    ) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.out_dir = out_dir

    def compute_metrics(self, results: list) -> Dict[str, float]:
        classes = list((self.dataset_meta or {}).get('classes') or [])
        labels = torch.cat([r['gt_label'] for r in results])
        self.num_classes = max(
            len(classes), self.num_classes or 0, int(labels.max()) + 1
        )
        matrix = super().compute_metrics(results)['result'].numpy()
        classes += [str(i) for i in range(len(classes), len(matrix))]
        scores = scene_scores(matrix)
        print_log(
            'scene classification, per class:\n'
            + format_table(classes, scores),
            logger='current',
        )
        picture = draw_confusion_matrix(
            matrix,
            classes,
            f'OA {scores["OA"]:.2f}  mean per class {scores["mAcc"]:.2f}',
        )
        try:
            Visualizer.get_current_instance().add_image(
                'confusion_matrix', picture
            )
        except RuntimeError:  # no runner, hence no visualizer to draw to
            pass
        if self.out_dir:
            self._write(classes, matrix, scores, picture)
        return dict(OA=scores['OA'], mAcc=scores['mAcc'])

    def _write(
        self,
        classes: List[str],
        matrix: np.ndarray,
        scores: dict,
        picture: np.ndarray,
    ) -> None:
        from PIL import Image

        os.makedirs(self.out_dir, exist_ok=True)
        png = osp.join(self.out_dir, 'confusion_matrix.png')
        Image.fromarray(picture).save(png)
        with open(osp.join(self.out_dir, 'scene_scores.json'), 'w') as f:
            json.dump(
                dict(
                    OA=scores['OA'],
                    mean_per_class_accuracy=scores['mAcc'],
                    per_class={
                        c: None if np.isnan(a) else float(a)
                        for c, a in zip(classes, scores['per_class'])
                    },
                    confusion_matrix=matrix.astype(int).tolist(),
                    classes=classes,
                ),
                f,
                indent=1,
            )
        print_log(f'confusion matrix written to {png}', logger='current')
