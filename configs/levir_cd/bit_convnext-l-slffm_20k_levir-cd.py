# BIT + SLFFM ConvNeXt-L on LEVIR-CD 256x256 tiles, batch 8, 20k iterations
# (reference: change-class F1 93.89). Usage as configs/levir_cd/bit_convnext-b-slffm_20k_levir-cd.py:
#   python tools/train.py configs/levir_cd/bit_convnext-l-slffm_20k_levir-cd.py \
#       --cfg-options model.backbone.init_cfg.checkpoint=PATH/TO/slffm_convnext-l_backbone.pth
_base_ = ['./bit_convnext-b-slffm_20k_levir-cd.py']
backbone_checkpoint = 'checkpoints/slffm_convnext-l_backbone.pth'
model = dict(
    backbone=dict(
        arch='large',
        init_cfg=dict(type='Pretrained', checkpoint=backbone_checkpoint),
    ),
    decode_head=dict(in_channels=192),
)
