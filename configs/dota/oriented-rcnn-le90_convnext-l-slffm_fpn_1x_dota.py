# Oriented R-CNN (le90, FPN) on DOTA-v1.0: the ConvNeXt-B config with the SLFFM ConvNeXt-L; see
# configs/dota/README.md.
_base_ = './oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dota.py'
backbone_checkpoint = _base_.convnext_slffm.large.checkpoint
model = dict(
    backbone=dict(arch='large', init_cfg=dict(checkpoint=backbone_checkpoint)),
    neck=dict(in_channels=_base_.convnext_slffm.large.channels),
)
