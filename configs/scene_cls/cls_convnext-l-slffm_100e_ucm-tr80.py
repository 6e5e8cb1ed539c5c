# UC Merced, 80% train: the SLFFM ConvNeXt-L, drop path 0.3,
# checkpoints/slffm_convnext-l_backbone.pth by default (data and commands: see
# cls_convnext-b-slffm_100e_ucm-tr80.py).
_base_ = ['./cls_convnext-b-slffm_100e_ucm-tr80.py']
backbone_checkpoint = _base_.convnext_slffm.large.checkpoint
model = _base_.convnext_l_classifier
