# mmpretrain's ImageClassifier on the SLFFM ConvNeXt: global average pool of the last stage
# through its norm (out_indices=(3,), gap_before_final_norm=True) and a linear head. The
# backbone starts from the extracted SLFFM ConvNeXt-B of ./backbones/convnext_slffm.py
# (tools/extract_backbone.py); another: --cfg-options model.backbone.init_cfg.checkpoint=PATH
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
# The ConvNeXt-L classifier: what each cls_convnext-l-* config changes in its ConvNeXt-B config
# (the `large` row, drop path 0.3):
#   backbone_checkpoint = _base_.convnext_slffm.large.checkpoint
#   model = _base_.convnext_l_classifier
convnext_l_classifier = dict(
    backbone=dict(
        arch='large',
        drop_path_rate=0.3,
        init_cfg=dict(checkpoint=_base_.convnext_slffm.large.checkpoint),
    ),
    head=dict(in_channels=_base_.convnext_slffm.large.channels[3]),
)
