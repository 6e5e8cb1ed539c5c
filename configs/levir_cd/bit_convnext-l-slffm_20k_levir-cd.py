# BIT on LEVIR-CD: the ConvNeXt-B config with the SLFFM ConvNeXt-L; see configs/levir_cd/README.md.
_base_ = ['./bit_convnext-b-slffm_20k_levir-cd.py']
backbone_checkpoint = _base_.convnext_slffm.large.checkpoint
model = dict(
    backbone=dict(arch='large', init_cfg=dict(checkpoint=backbone_checkpoint)),
    decode_head=dict(in_channels=_base_.convnext_slffm.large.channels[0]),
)
