# Oriented R-CNN (le90, FPN) with the SLFFM ConvNeXt-B on DOTA-v1.0 1024-px patches, 12 epochs;
# data preparation, recipe and commands in configs/dota/README.md.
_base_ = [
    '../_base_/models/oriented_rcnn_le90_slffm_fpn.py',
    '../_base_/datasets/dota_ss_1024.py',
    '../_base_/schedules/det_adamw_layer_decay_12e.py',
    '../_base_/runtimes/det_mmrotate.py',
]
default_hooks = dict(
    checkpoint=dict(save_best='dota/scene_mAP', rule='greater')
)
