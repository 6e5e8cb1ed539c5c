# mmseg runtime for the segmentation configs (change detection: ./cd_mmseg.py): the shared
# mmseg runtime (./mmseg.py), checkpoints every 16k iterations, best kept by mIoU, prediction
# visualisation hook.
_base_ = ['./mmseg.py']
default_hooks = dict(
    checkpoint=dict(interval=16000, save_best='mIoU'),
    visualization=dict(type='SegVisualizationHook'),
)
