# BIT + SLFFM ConvNeXt-L on LEVIR-CD 256x256 tiles, batch 8, 20k iterations
# (reference: change-class F1 93.89): the ConvNeXt-B config with the large backbone
# (checkpoints/slffm_convnext-l_backbone.pth by default).
#   python tools/train.py configs/levir_cd/bit_convnext-l-slffm_20k_levir-cd.py
_base_ = ['./bit_convnext-b-slffm_20k_levir-cd.py']
backbone_checkpoint = _base_.convnext_slffm.large.checkpoint
model = dict(
    backbone=dict(arch='large', init_cfg=dict(checkpoint=backbone_checkpoint)),
    decode_head=dict(in_channels=_base_.convnext_slffm.large.channels[0]),
)
