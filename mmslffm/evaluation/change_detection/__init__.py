"""Change-detection evaluation: split-level confusion matrix, scores, PNG change maps."""

from .change_maps import error_map, save_change_map
from .metric import ChangeDetectionMetric
from .scores import binary_confusion_matrix, change_detection_scores

__all__ = [
    'ChangeDetectionMetric',
    'binary_confusion_matrix',
    'change_detection_scores',
    'error_map',
    'save_change_map',
]
