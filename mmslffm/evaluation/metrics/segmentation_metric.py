"""Semantic-segmentation metric with the remote-sensing protocols mmseg's IoUMetric lacks.

mmseg's :class:`~mmseg.evaluation.IoUMetric` counts every labelled pixel, averages over all
classes and, in ``format_only`` mode, adds 1 to predictions of ``reduce_zero_label`` datasets.
The ISPRS and LoveDA benchmarks need three differences, added here on top of it:

* ``exclude_classes``: ground-truth pixels of these classes (ISPRS *clutter*) are left out of
  every figure, and the classes are not reported or averaged. A prediction of an excluded
  class on another class's pixel still counts as an error.
* one flat dictionary with overall accuracy ``OA``, ``mIoU``, ``mF1`` and per-class
  ``IoU.<class>`` / ``F1.<class>`` (percent), so ``tools/test.py`` prints all of them.
  Scores come from :mod:`mmslffm.evaluation.functional.class_scores`: a class absent from
  both labels and predictions scores 100 and is left out of the class means.
* ``format_only`` writes predictions plus ``submission_offset`` (LoveDA's server takes 0..6,
  i.e. offset 0; mmseg would write 1..7).
* ``confusion_png``: the pixel confusion matrix of the split drawn as a PNG.

Benchmarks: the ISPRS 2D Semantic Labeling Contest (Potsdam: OA and mean F1 over the five
classes other than clutter) and LoveDA (Wang et al., NeurIPS 2021 Datasets and Benchmarks:
mIoU over 7 classes), the two SLFFM (Dong et al., IEEE TGRS 2024) reports.
"""

import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.logging import MMLogger, print_log
from mmengine.utils import mkdir_or_exist
from mmseg.evaluation import IoUMetric
from PIL import Image
from prettytable import PrettyTable

from mmslffm.registry import METRICS
from mmslffm.visualization.confusion_matrix import save_confusion_png
from ..functional import (
    class_scores,
    mean_over_present,
    pixel_confusion,
    present_classes,
)

__all__ = ['SegmentationMetric']


@METRICS.register_module()
class SegmentationMetric(IoUMetric):
    """OA, per-class and mean IoU/F1, with excluded classes and benchmark output.

    Args:
        exclude_classes: class names whose ground-truth pixels are ignored and
            which are not reported (``('clutter',)`` for ISPRS).
        ignore_index: label value that is never counted (mmseg: 255).
        format_only: only write prediction PNGs to ``output_dir`` (no labels).
        output_dir: where ``<image name>.png`` predictions go.
        submission_offset: added to the 0-based predicted index when writing.
        confusion_png: when set, the split's pixel confusion matrix (rows
            normalised; excluded classes' rows empty) is drawn there.
        **kwargs: passed to :class:`~mmseg.evaluation.IoUMetric`.

    Example:
        >>> metric = dict(type='mmslffm.SegmentationMetric',
        ...               exclude_classes=('clutter',))
    """

    def __init__(
        self,
        exclude_classes: Sequence[str] = (),
        ignore_index: int = 255,
        format_only: bool = False,
        output_dir: Optional[str] = None,
        submission_offset: int = 0,
        confusion_png: Optional[str] = None,
        **kwargs,
    ) -> None:
        if format_only and not output_dir:
            raise ValueError(
                'SegmentationMetric(format_only=True) needs output_dir: add '
                '--cfg-options test_evaluator.output_dir=DIR'
            )
        super().__init__(
            ignore_index=ignore_index,
            iou_metrics=['mIoU'],
            format_only=format_only,
            **kwargs,
        )
        self.exclude_classes = tuple(exclude_classes)
        self.submission_dir = output_dir
        self.submission_offset = submission_offset
        self.confusion_png = confusion_png
        if output_dir:
            mkdir_or_exist(output_dir)

    def _excluded_indices(self) -> List[int]:
        classes = list(self.dataset_meta['classes'])
        unknown = [c for c in self.exclude_classes if c not in classes]
        if unknown:
            raise ValueError(
                f'SegmentationMetric: exclude_classes {unknown} are not '
                f'classes of the dataset {classes}; fix the evaluator config'
            )
        return [classes.index(c) for c in self.exclude_classes]

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Accumulate (intersect, union, pred, label) areas per image."""
        num_classes = len(self.dataset_meta['classes'])
        excluded = self._excluded_indices()
        for data_sample in data_samples:
            pred = data_sample['pred_sem_seg']['data'].squeeze()
            if self.submission_dir:
                self._write_prediction(pred, data_sample['img_path'])
            if self.format_only:
                continue
            label = data_sample['gt_sem_seg']['data'].squeeze().to(pred)
            if excluded:
                label = label.clone()
                label[torch.isin(label, label.new_tensor(excluded))] = (
                    self.ignore_index
                )
            areas = self.intersect_and_union(
                pred, label, num_classes, self.ignore_index
            )
            self.results.append(
                (
                    *areas,
                    pixel_confusion(
                        pred, label, num_classes, self.ignore_index
                    ),
                )
            )

    def _write_prediction(self, pred: torch.Tensor, img_path: str) -> None:
        name = osp.splitext(osp.basename(img_path))[0]
        mask = pred.cpu().numpy().astype(np.int64) + self.submission_offset
        Image.fromarray(mask.astype(np.uint8)).save(
            osp.join(self.submission_dir, f'{name}.png')
        )

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Return ``OA``, ``mIoU``, ``mF1``, ``mPrecision``, ``mRecall`` and
        ``IoU.<class>`` / ``F1.<class>`` in percent; print a per-class table."""
        logger = MMLogger.get_current_instance()
        if self.format_only:
            logger.info(f'predictions written to {self.submission_dir}')
            return OrderedDict()
        intersect, _, pred_area, label_area, confusion = (
            torch.stack(column).sum(0).double().numpy()
            for column in zip(*results)
        )
        classes = list(self.dataset_meta['classes'])
        reported = [
            i
            for i, name in enumerate(classes)
            if name not in self.exclude_classes
        ]
        tp = intersect
        fp, fn = pred_area - intersect, label_area - intersect
        per_class = class_scores(tp, fp, fn)
        averaged = present_classes(tp, fp, fn) & np.isin(
            np.arange(len(classes)), reported
        )
        metrics: Dict[str, float] = OrderedDict()
        metrics['OA'] = _percent(intersect.sum() / label_area.sum())
        for key, values in per_class.items():
            metrics[f'm{key}'] = _percent(mean_over_present(values, averaged))
        for key in ('IoU', 'F1'):
            for index in reported:
                metrics[f'{key}.{classes[index]}'] = _percent(
                    per_class[key][index]
                )
        table = PrettyTable(['Class', *per_class])
        for index in reported:
            table.add_row(
                [classes[index]]
                + [_percent(values[index]) for values in per_class.values()]
            )
        note = (
            f' ({", ".join(self.exclude_classes)} excluded)'
            if self.exclude_classes
            else ''
        )
        print_log(f'per class results{note}:\n{table.get_string()}', logger)
        if self.confusion_png:
            mkdir_or_exist(osp.dirname(osp.abspath(self.confusion_png)))
            # all classes: an excluded class's row is empty (its ground
            # truth is not scored), its column shows predictions of it
            save_confusion_png(
                confusion,
                classes,
                self.confusion_png,
                title=f'OA {metrics["OA"]:.2f}, mIoU '
                f'{metrics["mIoU"]:.2f}{note}',
            )
            print_log(
                f'confusion matrix drawn in {self.confusion_png}', logger
            )
        return metrics


def _percent(value: float) -> float:
    return float(np.round(value * 100, 2))
