# Oriented R-CNN (le90, FPN) with the SLFFM ConvNeXt-B on DIOR-R, 800 px, 12 epochs; data layout,
# recipe and commands in configs/dior/README.md.
_base_ = [
    '../_base_/models/oriented_rcnn_le90_slffm_fpn.py',
    '../_base_/datasets/dior_r_800.py',
    '../_base_/schedules/det_adamw_layer_decay_12e.py',
    '../_base_/runtimes/det_mmrotate.py',
]
model = dict(roi_head=dict(bbox_head=dict(num_classes=20)))
default_hooks = dict(checkpoint=dict(save_best='dota/mAP', rule='greater'))
