# SLFFM pretraining of ConvNeXt-B on GeoSense, the reference recipe (8 GPUs x 128 images); training
# and backbone extraction commands in configs/pretrain/README.md.
_base_ = [
    '../_base_/datasets/geosense.py',
    '../_base_/models/slffm_convnext_b.py',
    '../_base_/schedules/slffm_lamb_200e.py',
    '../_base_/runtimes/pretrain_mmpretrain.py',
]
