# mmseg runtime of the segmentation configs: checkpoints every 16k iterations, the best by mIoU,
# prediction visualisation hook.
_base_ = ['./mmseg.py']
default_hooks = dict(
    checkpoint=dict(interval=16000, save_best='mIoU'),
    visualization=dict(type='SegVisualizationHook'),
)
