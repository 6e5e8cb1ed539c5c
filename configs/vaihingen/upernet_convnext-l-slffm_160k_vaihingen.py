# UperNet + auxiliary FCN head on the SLFFM ConvNeXt-L, ISPRS Vaihingen (6 classes; clutter
# excluded; IRRG inputs): the ConvNeXt-B config (upernet_convnext-b-slffm_160k_vaihingen.py,
# recipe and commands) with the large backbone, checkpoints/slffm_convnext-l_backbone.pth by
# default.
#   bash tools/dist_train.sh configs/vaihingen/upernet_convnext-l-slffm_160k_vaihingen.py 8 --amp
#   python tools/test.py configs/vaihingen/upernet_convnext-l-slffm_160k_vaihingen.py \
#       work_dirs/upernet_convnext-l-slffm_160k_vaihingen/iter_160000.pth
_base_ = ['./upernet_convnext-b-slffm_160k_vaihingen.py']
backbone_checkpoint = _base_.convnext_slffm.large.checkpoint
model = dict(
    backbone=dict(arch='large', init_cfg=dict(checkpoint=backbone_checkpoint)),
    decode_head=dict(in_channels=_base_.convnext_slffm.large.channels),
    auxiliary_head=dict(in_channels=_base_.convnext_slffm.large.channels[2]),
)
