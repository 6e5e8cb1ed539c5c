# AID (30 classes, 10,000 images), 20% train: the SLFFM ConvNeXt-L (see aid20_convnext_b_slffm.py).
_base_ = ['./aid20_convnext_b_slffm.py']
slffm_checkpoint = 'checkpoints/slffm_convnext_l_backbone.pth'
model = dict(
    backbone=dict(
        arch='large',
        drop_path_rate=0.3,
        init_cfg=dict(type='Pretrained', checkpoint=slffm_checkpoint),
    ),
    head=dict(in_channels=1536),
)
