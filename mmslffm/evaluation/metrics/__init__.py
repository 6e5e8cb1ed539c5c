from .change_detection_metric import ChangeDetectionMetric
from .dota_metric import DOTASceneMetric
from .rotated_voc_metric import RotatedVOCMetric
from .scene_metric import SceneClassificationMetric
from .segmentation_metric import SegmentationMetric

__all__ = [
    'ChangeDetectionMetric',
    'DOTASceneMetric',
    'RotatedVOCMetric',
    'SceneClassificationMetric',
    'SegmentationMetric',
]
