# mmpretrain's ImageClassifier on the SLFFM ConvNeXt-B: global average pool of the last stage
# through its norm, then a linear head; configs/scene_cls/README.md gives the recipe.
_base_ = ['./backbones/convnext_slffm.py']
backbone_checkpoint = _base_.convnext_slffm.base.checkpoint
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='mmslffm.SparseConvNeXt',
        arch='base',
        out_indices=(3,),
        gap_before_final_norm=True,
        drop_path_rate=0.2,
        init_cfg=dict(type='Pretrained', checkpoint=backbone_checkpoint),
    ),
    head=dict(
        type='LinearClsHead',
        num_classes=21,
        in_channels=_base_.convnext_slffm.base.channels[3],
        loss=dict(
            type='LabelSmoothLoss', label_smooth_val=0.1, mode='original'
        ),
        init_cfg=dict(type='TruncNormal', layer='Linear', std=2e-5),
    ),
)
