# Oriented R-CNN (le90, FPN) with an SLFFM-pretrained ConvNeXt-B on DOTA-v1.0, 1024 patches,
# 12 epochs, AdamW 1e-4, weight decay 0.05, drop path 0.4, layer-wise lr decay 0.9.
#
# The backbone loads `backbone_checkpoint`, checkpoints/slffm_convnext-b_backbone.pth (an
# extracted SLFFM backbone, tools/extract_backbone.py; ../_base_/models/backbones/convnext_slffm.py):
#   python tools/train.py configs/dota/oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dota.py
# Another file: --cfg-options model.backbone.init_cfg.checkpoint=PATH/TO/backbone.pth
# Data: see configs/_base_/datasets/dota_ss_1024.py (split with dota_split.py first).
# For the test server: configs/dota/oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dota-trainval-submit.py.
_base_ = [
    '../_base_/models/oriented_rcnn_le90_slffm_fpn.py',
    '../_base_/datasets/dota_ss_1024.py',
    '../_base_/schedules/det_adamw_layer_decay_12e.py',
    '../_base_/runtimes/det_mmrotate.py',
]
default_hooks = dict(
    checkpoint=dict(save_best='dota/scene_mAP', rule='greater')
)
