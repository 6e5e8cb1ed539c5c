"""Pictures that the metrics write next to their scores: change maps, the segmentation
confusion matrix, merged DOTA scene detections.

Plain drawing functions rather than mmengine ``Visualizer`` subclasses: they draw what a
metric has accumulated over a split (a confusion matrix, whole merged scenes), for which
there is no data sample to hand a visualizer."""

from .change_maps import error_map, save_change_map
from .confusion_png import save_confusion_png
from .dota_scene_vis import draw_scene_detections

__all__ = [
    'draw_scene_detections',
    'error_map',
    'save_change_map',
    'save_confusion_png',
]
