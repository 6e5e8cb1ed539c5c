"""Metrics that mmrotate/mmseg lack (change detection, DOTA scene merge, exact polygon mAP,
ISPRS segmentation protocol)."""
from .change_detection import *  # noqa: F401,F403
from .dota_metric import DOTASceneMetric
from .rotated_voc_metric import RotatedVOCMetric
from .segmentation_metric import SegmentationMetric, scores_from_areas

__all__ = [
    'DOTASceneMetric', 'RotatedVOCMetric', 'SegmentationMetric',
    'scores_from_areas'
]
