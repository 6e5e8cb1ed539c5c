"""Pure functions behind the metrics: class scores from counts, rotated scene merge."""

from .class_scores import (
    class_scores,
    counts_from_confusion,
    mean_over_present,
    present_classes,
)
from .rotated_merge import boxes_to_scene, class_aware_rotated_nms

__all__ = [
    'boxes_to_scene',
    'class_aware_rotated_nms',
    'class_scores',
    'counts_from_confusion',
    'mean_over_present',
    'present_classes',
]
