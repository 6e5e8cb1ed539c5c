# BIT (Chen et al., IEEE TGRS 2022) on the SLFFM ConvNeXt-B as SLFFM evaluates it: the stride-4
# stage of A and of B feeds the BIT head; input: the pair on channels (B, 6, H, W), A first, RGB.
_base_ = ['./backbones/convnext_slffm.py']
# the extracted SLFFM backbone (tools/extract_backbone.py); another on the command line:
#   --cfg-options model.backbone.init_cfg.checkpoint=PATH
backbone_checkpoint = _base_.convnext_slffm.base.checkpoint
norm_cfg = dict(type='BN', requires_grad=True)  # sync_bn='torch' for many GPUs
data_preprocessor = dict(
    type='mmslffm.PairedSegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],  # of one image, applied to A and B
    std=[58.395, 57.12, 57.375],
    size_divisor=32,
    pad_val=0,
    seg_pad_val=255,
)
model = dict(
    type='mmslffm.SiameseEncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='mmslffm.SparseConvNeXt',
        arch='base',
        drop_path_rate=0.4,
        out_indices=(0,),
        init_cfg=dict(type='Pretrained', checkpoint=backbone_checkpoint),
    ),
    decode_head=dict(
        type='mmslffm.BITHead',
        in_channels=_base_.convnext_slffm.base.channels[0],
        in_index=0,
        channels=32,
        token_len=4,
        enc_depth=1,
        dec_depth=8,
        num_heads=8,
        head_dim=64,
        upsample_factor=4,
        num_classes=2,
        out_channels=2,  # softmax over unchanged/changed
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss',
            use_sigmoid=False,
            loss_weight=1.0,
            avg_non_ignore=True,
        ),
    ),  # rotation padding is ignored (255)
    train_cfg=dict(),
    test_cfg=dict(mode='whole'),
)
