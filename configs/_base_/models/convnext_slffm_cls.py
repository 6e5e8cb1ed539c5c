# mmpretrain's ImageClassifier on the SLFFM ConvNeXt: global average pool of the last stage
# through its norm (out_indices=(3,), gap_before_final_norm=True) and a linear head.
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='mmslffm.SparseConvNeXt',
        arch='base',
        out_indices=(3,),
        gap_before_final_norm=True,
        drop_path_rate=0.2,
    ),
    head=dict(
        type='LinearClsHead',
        num_classes=21,
        in_channels=1024,
        loss=dict(
            type='LabelSmoothLoss', label_smooth_val=0.1, mode='original'
        ),
        init_cfg=dict(type='TruncNormal', layer='Linear', std=2e-5),
    ),
)
