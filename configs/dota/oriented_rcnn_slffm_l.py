# Oriented R-CNN (le90, FPN) with an SLFFM-pretrained ConvNeXt-L on DOTA-v1.0 (recipe as B).
#   python tools/train.py configs/dota/oriented_rcnn_slffm_l.py \
#       --cfg-options model.backbone.init_cfg.checkpoint=PATH/TO/slffm_l_backbone.pth
_base_ = './oriented_rcnn_slffm_b.py'
slffm_backbone_checkpoint = 'checkpoints/slffm_convnext_l_backbone.pth'

model = dict(
    backbone=dict(
        arch='large',
        init_cfg=dict(type='Pretrained', checkpoint=slffm_backbone_checkpoint),
    ),
    neck=dict(in_channels=[192, 384, 768, 1536]),
)
