# SLFFM pretraining of ConvNeXt-B on GeoSense (reference recipe, 8 GPUs x 128 images):
#   tools/dist_train.sh configs/pretrain/slffm_convnext-b_200e_geosense.py 8
# then extract the backbone for fine-tuning:
#   python tools/extract_backbone.py work_dirs/slffm_convnext-b_200e_geosense/epoch_200.pth \
#       checkpoints/slffm_convnext-b_backbone.pth
# (the fine-tuning configs' default `backbone_checkpoint`)
_base_ = [
    '../_base_/datasets/geosense.py',
    '../_base_/models/slffm_convnext_b.py',
    '../_base_/schedules/slffm_lamb_200e.py',
    '../_base_/runtimes/pretrain_mmpretrain.py',
]
