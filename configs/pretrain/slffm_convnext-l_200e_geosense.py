# SLFFM pretraining of ConvNeXt-L: as ConvNeXt-B with wider stages, drop path 0.4 and a
# decoder starting at 3/4 of the deepest width (1536 * 0.75 = 1152 channels).
# Commands: configs/pretrain/README.md.
_base_ = ['./slffm_convnext-b_200e_geosense.py']

model = dict(
    backbone=dict(arch='large', drop_path_rate=0.4),
    neck=dict(feature_dim=_base_.convnext_slffm.large.channels[3] * 3 // 4),
)
