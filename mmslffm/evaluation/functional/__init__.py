"""Pure functions behind the metrics: class scores from counts, pixel confusion counts,
change-detection scores, the rotated scene merge, DOTA patch merge and Task1 files, exact
polygon mAP."""

from .change_detection_scores import (
    binary_confusion_matrix,
    change_detection_scores,
)
from .class_scores import (
    class_scores,
    counts_from_confusion,
    mean_over_present,
    present_classes,
)
from .dota_merge import merge_patch_detections, parse_patch_name
from .dota_submission import rboxes_to_polygons, write_task1_submission
from .pixel_confusion import pixel_confusion
from .polygon_map import polygon_iou, polygon_voc_map
from .rotated_merge import boxes_to_scene, class_aware_rotated_nms

__all__ = [
    'binary_confusion_matrix',
    'boxes_to_scene',
    'change_detection_scores',
    'class_aware_rotated_nms',
    'class_scores',
    'counts_from_confusion',
    'mean_over_present',
    'merge_patch_detections',
    'parse_patch_name',
    'pixel_confusion',
    'polygon_iou',
    'polygon_voc_map',
    'present_classes',
    'rboxes_to_polygons',
    'write_task1_submission',
]
