# UperNet (Xiao et al., ECCV 2018) + auxiliary FCN head on the SLFFM ConvNeXt-B (mmseg's
# EncoderDecoder); the backbone loads `backbone_checkpoint`, the configs set num_classes.
_base_ = ['./backbones/convnext_slffm.py']
backbone_checkpoint = _base_.convnext_slffm.base.checkpoint
norm_cfg = dict(type='SyncBN', requires_grad=True)  # plain BN on one device
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=(512, 512),
)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='mmslffm.SparseConvNeXt',
        arch='base',
        out_indices=(0, 1, 2, 3),
        drop_path_rate=0.4,
        init_cfg=dict(type='Pretrained', checkpoint=backbone_checkpoint),
    ),
    decode_head=dict(
        type='UPerHead',
        in_channels=_base_.convnext_slffm.base.channels,
        in_index=[0, 1, 2, 3],
        pool_scales=(1, 2, 3, 6),
        channels=512,
        dropout_ratio=0.1,
        num_classes=6,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0
        ),
    ),
    auxiliary_head=dict(
        type='FCNHead',
        in_channels=_base_.convnext_slffm.base.channels[2],
        in_index=2,
        channels=256,
        num_convs=1,
        concat_input=False,
        dropout_ratio=0.1,
        num_classes=6,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=0.4
        ),
    ),
    train_cfg=dict(),
    test_cfg=dict(mode='slide', crop_size=(512, 512), stride=(341, 341)),
)
