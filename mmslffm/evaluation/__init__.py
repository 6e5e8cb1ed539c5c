"""Metrics that mmrotate/mmseg lack (change detection, DOTA scene merge, exact polygon mAP,
ISPRS segmentation protocol, scene classification scores); the arithmetic they share is in
:mod:`.functional`.

Frozen-encoder evaluation (kNN, linear probe) is in :mod:`.representation`."""

from .change_detection import *  # noqa: F401,F403
from .dota_metric import DOTASceneMetric
from .rotated_voc_metric import RotatedVOCMetric
from .scene_metric import SceneClassificationMetric
from .segmentation_metric import SegmentationMetric

__all__ = [
    'DOTASceneMetric',
    'RotatedVOCMetric',
    'SceneClassificationMetric',
    'SegmentationMetric',
]
