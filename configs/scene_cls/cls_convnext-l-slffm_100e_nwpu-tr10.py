# NWPU-RESISC45 (45 classes x 700 images), 10% train: the SLFFM ConvNeXt-L, drop path 0.3,
# checkpoints/slffm_convnext-l_backbone.pth by default (data and commands: see
# cls_convnext-b-slffm_100e_nwpu-tr10.py).
_base_ = ['./cls_convnext-b-slffm_100e_nwpu-tr10.py']
backbone_checkpoint = _base_.convnext_slffm.large.checkpoint
model = _base_.convnext_l_classifier
