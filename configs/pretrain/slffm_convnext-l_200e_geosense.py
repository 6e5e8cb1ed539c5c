# SLFFM pretraining of ConvNeXt-L: as ConvNeXt-B with wider stages and drop path 0.4; the
# decoder keeps ConvNeXt-B's 768 channels (as the SLFFM release trains ConvNeXt-L).
# Commands: configs/pretrain/README.md.
_base_ = ['./slffm_convnext-b_200e_geosense.py']

model = dict(backbone=dict(arch='large', drop_path_rate=0.4))
