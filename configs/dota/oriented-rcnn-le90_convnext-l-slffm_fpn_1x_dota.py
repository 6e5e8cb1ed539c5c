# Oriented R-CNN (le90, FPN) with an SLFFM-pretrained ConvNeXt-L on DOTA-v1.0 (recipe as B).
#   python tools/train.py configs/dota/oriented-rcnn-le90_convnext-l-slffm_fpn_1x_dota.py \
#       --cfg-options model.backbone.init_cfg.checkpoint=PATH/TO/slffm_convnext-l_backbone.pth
_base_ = './oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dota.py'
backbone_checkpoint = 'checkpoints/slffm_convnext-l_backbone.pth'

model = dict(
    backbone=dict(
        arch='large',
        init_cfg=dict(type='Pretrained', checkpoint=backbone_checkpoint),
    ),
    neck=dict(in_channels=[192, 384, 768, 1536]),
)
