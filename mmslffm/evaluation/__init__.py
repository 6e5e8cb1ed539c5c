"""Metrics that mmrotate/mmseg lack (change detection, DOTA scene merge, exact polygon mAP,
ISPRS segmentation protocol, scene classification scores) in :mod:`.metrics`; the arithmetic
they share is in :mod:`.functional`, the pictures they write in :mod:`mmslffm.visualization`.

Frozen-encoder evaluation (kNN, linear probe) is in :mod:`.representation`."""

from .functional import binary_confusion_matrix, change_detection_scores
from .metrics import (
    ChangeDetectionMetric,
    DOTASceneMetric,
    RotatedVOCMetric,
    SceneClassificationMetric,
    SegmentationMetric,
)

__all__ = [
    'ChangeDetectionMetric',
    'DOTASceneMetric',
    'RotatedVOCMetric',
    'SceneClassificationMetric',
    'SegmentationMetric',
    'binary_confusion_matrix',
    'change_detection_scores',
]
