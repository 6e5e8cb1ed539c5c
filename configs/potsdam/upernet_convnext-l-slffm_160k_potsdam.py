# UperNet + auxiliary FCN head on the SLFFM ConvNeXt-L, ISPRS Potsdam (6 classes; clutter
# excluded from the metrics): the ConvNeXt-B config (upernet_convnext-b-slffm_160k_potsdam.py,
# recipe and commands) with the large backbone, checkpoints/slffm_convnext-l_backbone.pth by
# default.
#   bash tools/dist_train.sh configs/potsdam/upernet_convnext-l-slffm_160k_potsdam.py 8 --amp
#   python tools/test.py configs/potsdam/upernet_convnext-l-slffm_160k_potsdam.py \
#       work_dirs/upernet_convnext-l-slffm_160k_potsdam/iter_160000.pth
_base_ = ['./upernet_convnext-b-slffm_160k_potsdam.py']
backbone_checkpoint = _base_.convnext_slffm.large.checkpoint
model = dict(
    backbone=dict(arch='large', init_cfg=dict(checkpoint=backbone_checkpoint)),
    decode_head=dict(in_channels=_base_.convnext_slffm.large.channels),
    auxiliary_head=dict(in_channels=_base_.convnext_slffm.large.channels[2]),
)
