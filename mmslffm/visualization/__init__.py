"""Every picture mmslffm draws: change maps, the confusion matrix (scene classification and
segmentation), merged DOTA scene detections, reconstruction previews, large-scene previews,
training and kNN-monitor curves.

Plain drawing functions rather than mmengine ``Visualizer`` subclasses: they draw what a
metric has accumulated over a split (a confusion matrix, whole merged scenes) or what a hook
or tool holds (a model's reconstructions, a log), for which there is no data sample to hand
a visualizer. matplotlib is imported when a figure is drawn, so importing stays cheap.
"""

from .change_maps import change_label_picture, error_map, save_change_map
from .confusion_matrix import draw_confusion_matrix, save_confusion_png
from .dota_scene_vis import draw_scene_detections
from .knn_curve import save_knn_curve
from .panels import side_by_side
from .reconstruction import render_reconstruction
from .training_curves import plot_curves

__all__ = [
    'change_label_picture',
    'draw_confusion_matrix',
    'draw_scene_detections',
    'error_map',
    'plot_curves',
    'render_reconstruction',
    'save_change_map',
    'save_confusion_png',
    'save_knn_curve',
    'side_by_side',
]
