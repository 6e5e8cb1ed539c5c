"""Metrics that mmrotate/mmseg lack (change detection)."""
from .dota_metric import DOTASceneMetric  # noqa: F401
from .rotated_voc_metric import RotatedVOCMetric  # noqa: F401
