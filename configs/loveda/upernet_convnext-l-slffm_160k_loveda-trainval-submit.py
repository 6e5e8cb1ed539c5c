# LoveDA test-server submission: the ConvNeXt-B submission config with the SLFFM ConvNeXt-L; see
# configs/loveda/README.md.
_base_ = ['./upernet_convnext-b-slffm_160k_loveda-trainval-submit.py']
backbone_checkpoint = _base_.convnext_slffm.large.checkpoint
model = dict(
    backbone=dict(arch='large', init_cfg=dict(checkpoint=backbone_checkpoint)),
    decode_head=dict(in_channels=_base_.convnext_slffm.large.channels),
    auxiliary_head=dict(in_channels=_base_.convnext_slffm.large.channels[2]),
)
test_evaluator = dict(output_dir='work_dirs/loveda_submission_l')
