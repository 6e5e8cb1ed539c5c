"""Metrics that mmrotate/mmseg lack (change detection)."""
from .segmentation_metric import SegmentationMetric, scores_from_areas

__all__ = ['SegmentationMetric', 'scores_from_areas']
