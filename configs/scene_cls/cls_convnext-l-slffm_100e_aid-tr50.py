# Scene classification on AID, 50% of each class for training: the ConvNeXt-B config with
# the SLFFM ConvNeXt-L (drop path 0.3); see configs/scene_cls/README.md.
_base_ = ['./cls_convnext-b-slffm_100e_aid-tr50.py']
backbone_checkpoint = _base_.convnext_slffm.large.checkpoint
model = dict(
    backbone=dict(
        arch='large',
        drop_path_rate=0.3,
        init_cfg=dict(checkpoint=backbone_checkpoint),
    ),
    head=dict(in_channels=_base_.convnext_slffm.large.channels[3]),
)
