"""``ChangeDetectionMetric``: the change-class scores the literature reports, for mmengine.

mmseg's ``IoUMetric`` only gives per-class tables and class averages; change-detection papers
compare the change class's precision/recall/F1/IoU and OA. This metric accumulates one binary
confusion matrix over the whole split (see
:mod:`mmslffm.evaluation.functional.change_detection_scores`), reports those scores plus the
class averages (``mFscore``, the summary open-cd prints and that the SLFFM reference may have
quoted), and can write every change map as PNG (:mod:`mmslffm.visualization.change_maps`).

Protocol: LEVIR-CD (Chen & Shi, Remote Sensing 2020) as BIT reports it (Chen et al., IEEE TGRS
2022): one confusion matrix over the test split, scores of the change class.
"""

import os.path as osp
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.dist import is_main_process
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmengine.utils import mkdir_or_exist

from mmslffm.registry import METRICS
from mmslffm.visualization.change_maps import save_change_map
from ..functional.change_detection_scores import (
    binary_confusion_matrix,
    change_detection_scores,
)

__all__ = ['ChangeDetectionMetric']

ROWS = (
    ('Precision_change', 'precision, change class'),
    ('Recall_change', 'recall, change class'),
    ('F1_change', 'F1, change class (literature standard)'),
    ('IoU_change', 'IoU, change class'),
    ('OA', 'overall accuracy'),
    ('Kappa', "Cohen's kappa"),
    ('mFscore', 'F-score averaged over unchanged/changed (open-cd)'),
    ('mIoU', 'IoU averaged over unchanged/changed'),
)


@METRICS.register_module()
class ChangeDetectionMetric(BaseMetric):
    """Binary change-detection scores over a split, in percent.

    Args:
        ignore_index: label value left out of the scores.
        output_dir: when set, write ``<A name>.png`` (0/255) and
            ``<A name>_errors.png`` (TP white, FP red, FN green) per pair.
        format_only: only write the maps (no labels needed, no scores).
        collect_device, prefix: as mmengine's ``BaseMetric``.

    Returned keys: ``Precision_change``, ``Recall_change``, ``F1_change``,
    ``IoU_change``, ``OA``, ``Kappa``, ``mFscore``, ``mIoU`` (all x100).
    """

    def __init__(
        self,
        ignore_index: int = 255,
        output_dir: Optional[str] = None,
        format_only: bool = False,
        collect_device: str = 'cpu',
        prefix: Optional[str] = None,
    ) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if format_only and not output_dir:
            raise ValueError(
                'ChangeDetectionMetric: format_only=True needs '
                'an output_dir to write the change maps to'
            )
        self.ignore_index = ignore_index
        self.output_dir = output_dir
        self.format_only = format_only
        if output_dir and is_main_process():
            mkdir_or_exist(output_dir)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Add each sample's confusion matrix; write its maps if asked."""
        for sample in data_samples:
            prediction = sample['pred_sem_seg']['data'].squeeze(0)
            target = (
                None
                if self.format_only
                else sample['gt_sem_seg']['data'].squeeze(0).to(prediction)
            )
            if self.output_dir:
                name = osp.splitext(osp.basename(sample['img_path']))[0]
                save_change_map(
                    prediction.cpu().numpy(),
                    self.output_dir,
                    name,
                    None if target is None else target.cpu().numpy(),
                    self.ignore_index,
                )
            if target is not None:
                self.results.append(
                    binary_confusion_matrix(
                        prediction, target, self.ignore_index
                    )
                )

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Sum the confusion matrices, score, print a table."""
        if self.format_only:
            print_log(
                f'change maps written to {self.output_dir}', logger='current'
            )
            return {}
        confusion = np.sum(results, axis=0)
        scores = {
            key: value * 100
            for key, value in change_detection_scores(confusion).items()
        }
        (tn, fp), (fn, tp) = confusion.tolist()
        lines = [
            f'change detection over {len(results)} images '
            f'(TP {tp}, FP {fp}, FN {fn}, TN {tn} pixels):'
        ]
        lines += [
            f'  {key:<17} {scores[key]:7.2f}  {meaning}'
            for key, meaning in ROWS
        ]
        print_log('\n'.join(lines), logger='current')
        return scores
