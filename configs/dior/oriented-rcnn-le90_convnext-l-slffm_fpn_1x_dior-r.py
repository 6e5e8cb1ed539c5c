# Oriented R-CNN (le90, FPN) with an SLFFM-pretrained ConvNeXt-L on DIOR-R: the ConvNeXt-B
# recipe with the large backbone (checkpoints/slffm_convnext-l_backbone.pth by default).
#   python tools/train.py configs/dior/oriented-rcnn-le90_convnext-l-slffm_fpn_1x_dior-r.py
_base_ = './oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dior-r.py'
backbone_checkpoint = _base_.convnext_slffm.large.checkpoint
model = dict(
    backbone=dict(arch='large', init_cfg=dict(checkpoint=backbone_checkpoint)),
    neck=dict(in_channels=_base_.convnext_slffm.large.channels),
)
