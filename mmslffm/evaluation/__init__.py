"""Metrics that mmrotate/mmseg lack (change detection, DOTA scene merge, exact polygon mAP)."""
from .change_detection import *  # noqa: F401,F403
from .dota_metric import DOTASceneMetric
from .rotated_voc_metric import RotatedVOCMetric

__all__ = ['DOTASceneMetric', 'RotatedVOCMetric']
