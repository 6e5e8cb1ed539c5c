# Oriented R-CNN (le90, FPN) with an SLFFM-pretrained ConvNeXt-B on DIOR-R (800 x 800),
# 12 epochs, AdamW 1e-4, weight decay 0.05, drop path 0.4, layer-wise lr decay 0.9;
# VOC07 11-point mAP at IoU 0.5 on the test split.
# The backbone loads `backbone_checkpoint`, checkpoints/slffm_convnext-b_backbone.pth
# (../_base_/models/backbones/convnext_slffm.py; another: --cfg-options model.backbone.init_cfg.checkpoint=PATH):
#   python tools/train.py configs/dior/oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dior-r.py
# Data layout: configs/_base_/datasets/dior_r_800.py.
_base_ = [
    '../_base_/models/oriented_rcnn_le90_slffm_fpn.py',
    '../_base_/datasets/dior_r_800.py',
    '../_base_/schedules/det_adamw_layer_decay_12e.py',
    '../_base_/runtimes/det_mmrotate.py',
]
model = dict(roi_head=dict(bbox_head=dict(num_classes=20)))
default_hooks = dict(checkpoint=dict(save_best='dota/mAP', rule='greater'))
