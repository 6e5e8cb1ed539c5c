# A few-iteration Oriented R-CNN on the bundled DIOR-R sample (demo/data/dior_r) with the tiny
# 'test' SparseConvNeXt and small heads, 400 px input: reading, training and VOC07 mAP on CPU.
#   python tools/train.py configs/dior/oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dior-r.py
_base_ = './oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dior-r.py'
data_root = 'demo/data/dior_r/'
image_size = 400
feature_channels = 32

model = dict(
    backbone=dict(
        arch='test',
        drop_path_rate=0.1,
        init_cfg=dict(type='Pretrained', checkpoint=None),
    ),
    neck=dict(
        in_channels=_base_.convnext_slffm.test.channels,
        out_channels=feature_channels,
    ),
    rpn_head=dict(
        in_channels=feature_channels, feat_channels=feature_channels
    ),
    roi_head=dict(
        bbox_roi_extractor=dict(out_channels=feature_channels),
        bbox_head=dict(in_channels=feature_channels, fc_out_channels=64),
    ),
    train_cfg=dict(
        rpn_proposal=dict(nms_pre=200, max_per_img=200),
        rcnn=dict(sampler=dict(num=64)),
    ),
    test_cfg=dict(
        rpn=dict(nms_pre=200, max_per_img=64),
        rcnn=dict(nms_pre=200, max_per_img=100),
    ),
)

load_image = dict(
    type='mmslffm.LoadRemoteSensingImage', channel_order='bgr', min_size=1
)
resize = dict(
    type='mmdet.Resize', scale=(image_size, image_size), keep_ratio=True
)
train_pipeline = [
    dict(type='mmslffm.SkipUnreadable', transforms=[load_image]),
    dict(type='mmdet.LoadAnnotations', with_bbox=True, box_type='qbox'),
    dict(type='ConvertBoxType', box_type_mapping=dict(gt_bboxes='rbox')),
    resize,
    dict(type='mmdet.PackDetInputs'),
]
test_pipeline = [
    load_image,
    resize,
    dict(type='mmdet.LoadAnnotations', with_bbox=True, box_type='qbox'),
    dict(type='ConvertBoxType', box_type_mapping=dict(gt_bboxes='rbox')),
    dict(
        type='mmdet.PackDetInputs',
        meta_keys=(
            'img_id',
            'img_path',
            'ori_shape',
            'img_shape',
            'scale_factor',
        ),
    ),
]
train_dataloader = dict(
    batch_size=1,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        _delete_=True,
        type={{_base_.dataset_type}},
        data_root=data_root,
        ann_file='ImageSets/Main/test.txt',
        filter_cfg=dict(filter_empty_gt=True),
        pipeline=train_pipeline,
    ),
)
val_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=test_pipeline),
)
test_dataloader = val_dataloader

train_cfg = dict(
    _delete_=True, type='IterBasedTrainLoop', max_iters=2, val_interval=2
)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=2)
]
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(by_epoch=False, interval=2, save_best=None),
)
log_processor = dict(by_epoch=False)
