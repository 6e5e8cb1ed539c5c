# LoveDA test-server submission with UperNet + SLFFM ConvNeXt-L: the ConvNeXt-B submission
# config (upernet_convnext-b-slffm_160k_loveda-trainval-submit.py: train on train+val, write
# the test-split PNGs) with the large backbone.
#   python tools/train.py configs/loveda/upernet_convnext-l-slffm_160k_loveda-trainval-submit.py --amp
#   python tools/test.py configs/loveda/upernet_convnext-l-slffm_160k_loveda-trainval-submit.py CKPT
#   cd work_dirs/loveda_submission_l && zip ../loveda_submission_l.zip *.png
_base_ = ['./upernet_convnext-b-slffm_160k_loveda-trainval-submit.py']
backbone_checkpoint = _base_.convnext_slffm.large.checkpoint
model = dict(
    backbone=dict(arch='large', init_cfg=dict(checkpoint=backbone_checkpoint)),
    decode_head=dict(in_channels=_base_.convnext_slffm.large.channels),
    auxiliary_head=dict(in_channels=_base_.convnext_slffm.large.channels[2]),
)
test_evaluator = dict(output_dir='work_dirs/loveda_submission_l')
