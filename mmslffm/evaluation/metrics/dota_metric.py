"""DOTA evaluation on patches *and* on merged whole scenes, with Task1 submission files.

mmrotate's ``DOTAMetric`` computes VOC mAP on the patches; with ``merge_patches=True`` it only
writes submission files (no scene mAP, a second run into the same folder fails, multi-scale
patch names are merged at the wrong scale). The number a DOTA paper reports is the mAP of
*merged scene* detections against the original scene labels, as the official devkit
(``dota_evaluation_task1.py``) computes it: VOC07 11-point AP at IoU 0.5, polygon IoU against
the labelled quadrilaterals, difficult objects ignored (see
:mod:`mmslffm.evaluation.functional.polygon_map`). This metric gives the patch mAP
(:class:`RotatedVOCMetric`), that scene mAP (``scene_mAP``) and the Task1 files + zip.

Protocol: DOTA (Xia et al., CVPR 2018) scores whole scenes, with its devkit.
"""

import glob
import os
import os.path as osp
import tempfile
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.logging import MMLogger

from mmslffm.datasets.dota_labels import read_dota_labels
from mmslffm.registry import METRICS
from mmslffm.visualization.dota_scene_vis import draw_scene_detections
from ..functional.dota_merge import merge_patch_detections
from ..functional.dota_submission import (
    rboxes_to_polygons,
    write_task1_submission,
)
from ..functional.polygon_map import polygon_voc_map
from .rotated_voc_metric import RotatedVOCMetric

__all__ = ['DOTASceneMetric', 'load_scene_annotations', 'scene_map']


def load_scene_annotations(
    ann_dir: str, scene_ids: Sequence[str], classes: Sequence[str]
) -> List[dict]:
    """Scene labels: ``polygons`` (K, 8), ``labels`` (K,), ``difficult`` (K,) bool.

    A scene without a label file counts as having no objects (warned).
    """
    logger = MMLogger.get_current_instance()
    label_of_class = {name: index for index, name in enumerate(classes)}
    annotations = []
    for scene in scene_ids:
        path = osp.join(ann_dir, f'{scene}.txt')
        objects = []
        if osp.isfile(path):
            label_file = read_dota_labels(path, classes)
            for problem in label_file.problems:
                logger.warning(problem)
            objects = label_file.objects
        else:
            logger.warning(
                f'{path}: no scene label file; scene {scene} '
                'evaluated as having no objects'
            )
        annotations.append(
            dict(
                polygons=np.array(
                    [o.polygon for o in objects], dtype=np.float64
                ).reshape(-1, 8),
                labels=np.array(
                    [label_of_class[o.class_name] for o in objects],
                    dtype=np.int64,
                ),
                difficult=np.array(
                    [o.difficult != 0 for o in objects], dtype=bool
                ),
            )
        )
    return annotations


def scene_map(
    merged: Dict[str, List[np.ndarray]],
    ann_dir: str,
    classes: Sequence[str],
    iou_thr: float = 0.5,
    use_07_metric: bool = True,
    logger=None,
) -> float:
    """mAP of merged scene detections against the scene label files (devkit protocol).

    Every labelled scene of ``ann_dir`` is evaluated, as the devkit does over its image
    list: a labelled scene without any patch result counts its objects as missed (and is
    warned about). Detections become polygons and are matched to the labelled polygons
    with exact polygon IoU (:func:`polygon_voc_map`).
    """
    labelled = {
        osp.splitext(name)[0]
        for name in os.listdir(ann_dir)
        if name.endswith('.txt')
    }
    unseen = sorted(labelled - set(merged))
    if unseen:
        MMLogger.get_current_instance().warning(
            f'{len(unseen)} labelled scenes of {ann_dir} have no patch results '
            f'(e.g. {", ".join(unseen[:3])}); their objects count as missed'
        )
    no_detections = [np.zeros((0, 6), np.float32) for _ in classes]
    scene_ids = sorted(labelled | set(merged))
    detections = [
        [
            np.concatenate([rboxes_to_polygons(dets), dets[:, 5:6]], axis=1)
            for dets in merged.get(scene, no_detections)
        ]
        for scene in scene_ids
    ]
    annotations = load_scene_annotations(ann_dir, scene_ids, classes)
    mean_ap, _ = polygon_voc_map(
        detections, annotations, iou_thr, use_07_metric, classes, logger
    )
    return mean_ap


@METRICS.register_module()
class DOTASceneMetric(RotatedVOCMetric):
    """Patch mAP (:class:`RotatedVOCMetric`), merged scene mAP and a Task1 submission.

    Args:
        scene_ann_dir: labelTxt folder of the *unsplit* scenes (e.g.
            ``data/DOTA/val/labelTxt``); gives ``scene_mAP``. ``None`` for the
            unlabelled test split.
        submission_dir: where ``Task1_<class>.txt`` and ``Task1.zip`` go;
            ``None``: ``submission/`` beside this run's log file.
        merge_iou_thr: rotated-NMS IoU threshold of the merge.
        scene_img_dir: folder of the unsplit scene images; when given, the
            merged detections (score >= ``scene_score_thr``) of the first
            ``max_scene_pngs`` scenes are drawn into
            ``<submission_dir>/scene_detections/``, with a legend and, when
            ``scene_ann_dir`` is set, the ground truth in white.
        max_scene_pngs: how many scenes to draw.
        scene_score_thr: lowest score drawn in those PNGs.
        **kwargs: :class:`RotatedVOCMetric` arguments (``iou_thrs``,
            ``eval_mode='11points'``, ``format_only=True`` for the unlabelled
            test split: no patch mAP).
    """

    def __init__(
        self,
        scene_ann_dir: Optional[str] = None,
        submission_dir: Optional[str] = None,
        merge_iou_thr: float = 0.1,
        scene_img_dir: Optional[str] = None,
        max_scene_pngs: int = 20,
        scene_score_thr: float = 0.3,
        **kwargs,
    ) -> None:
        if kwargs.get('merge_patches'):
            raise ValueError(
                'DOTASceneMetric always merges; drop '
                'merge_patches=True from the evaluator config'
            )
        super().__init__(**kwargs)
        if scene_ann_dir is not None and not osp.isdir(scene_ann_dir):
            raise FileNotFoundError(
                f'scene_ann_dir not found: {scene_ann_dir} (the labelTxt '
                'folder of the unsplit scenes, e.g. data/DOTA/val/labelTxt)'
            )
        self.scene_ann_dir = scene_ann_dir
        self.submission_dir = submission_dir
        self.merge_iou_thr = merge_iou_thr
        self.scene_img_dir = scene_img_dir
        self.max_scene_pngs = max_scene_pngs
        self.scene_score_thr = scene_score_thr

    def _submission_dir(self, logger: MMLogger) -> str:
        if self.submission_dir is not None:
            return self.submission_dir
        log_file = getattr(logger, 'log_file', None)
        if log_file:
            return osp.join(osp.dirname(log_file), 'submission')
        return tempfile.mkdtemp(prefix='dota_submission_')

    def _draw_scenes(
        self,
        merged: Dict[str, List[np.ndarray]],
        out_dir: str,
        logger: MMLogger,
    ) -> None:
        os.makedirs(out_dir, exist_ok=True)
        palette = self.dataset_meta['palette']
        classes = self.dataset_meta['classes']
        scenes = sorted(merged)[: self.max_scene_pngs]
        truths = (
            load_scene_annotations(self.scene_ann_dir, scenes, classes)
            if self.scene_ann_dir is not None
            else [None] * len(scenes)
        )
        for scene, truth in zip(scenes, truths):
            candidates = glob.glob(osp.join(self.scene_img_dir, f'{scene}.*'))
            if not candidates or not draw_scene_detections(
                candidates[0],
                merged[scene],
                palette,
                osp.join(out_dir, f'{scene}.png'),
                score_thr=self.scene_score_thr,
                classes=classes,
                ground_truth=None if truth is None else truth['polygons'],
            ):
                logger.warning(
                    f'scene image {scene}.* not found or not '
                    f'readable in {self.scene_img_dir}; not drawn'
                )
        logger.info(f'merged detections drawn in {out_dir}')

    def compute_metrics(self, results: list) -> dict:
        """Patch mAP (unless format_only), scene mAP (with scene labels), Task1 zip."""
        logger: MMLogger = MMLogger.get_current_instance()
        metrics = super().compute_metrics(results)
        predictions = [prediction for _, prediction in results]
        classes = self.dataset_meta['classes']
        merged = merge_patch_detections(
            predictions, len(classes), self.merge_iou_thr
        )
        submission_dir = self._submission_dir(logger)
        zip_path = write_task1_submission(merged, classes, submission_dir)
        logger.info(
            f'DOTA Task1 submission ({len(merged)} scenes): {zip_path}'
        )
        if self.scene_img_dir is not None:
            self._draw_scenes(
                merged, osp.join(submission_dir, 'scene_detections'), logger
            )
        if self.scene_ann_dir is not None:
            logger.info('scene-level (merged patches) evaluation:')
            mean_aps = [
                scene_map(
                    merged,
                    self.scene_ann_dir,
                    classes,
                    iou_thr,
                    self.use_07_metric,
                    logger,
                )
                for iou_thr in self.iou_thrs
            ]
            metrics['scene_mAP'] = round(float(np.mean(mean_aps)), 4)
        return metrics
