# A few-iteration Oriented R-CNN on the bundled DOTA scenes (demo/data/dota) with the tiny
# 'test' SparseConvNeXt and small heads: the whole pipeline in a minute on a CPU.
#   python tools/dataset_converters/dota_split.py --img-dir demo/data/dota/images \
#       --ann-dir demo/data/dota/labelTxt --out-dir work_dirs/demo_dota_split \
#       --patch-size 256 --gap 64 --keep-empty
#   python tools/train.py configs/dota/oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dota.py
#   python tools/test.py configs/dota/oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dota.py \
#       work_dirs/oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dota/iter_4.pth
# (random backbone: the mAP is near 0; benchmarks/overfit_dota_tile.py shows it learning)
_base_ = './oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dota.py'
data_root = 'work_dirs/demo_dota_split/'
patch_size = 256
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
    type='mmdet.Resize', scale=(patch_size, patch_size), keep_ratio=True
)
train_pipeline = [
    dict(type='mmslffm.SkipUnreadable', transforms=[load_image]),
    dict(type='mmdet.LoadAnnotations', with_bbox=True, box_type='qbox'),
    dict(type='ConvertBoxType', box_type_mapping=dict(gt_bboxes='rbox')),
    resize,
    dict(
        type='mmdet.RandomFlip',
        prob=0.75,
        direction=['horizontal', 'vertical', 'diagonal'],
    ),
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
    batch_size=2,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        ann_file='annfiles/',
        data_prefix=dict(img_path='images/'),
        pipeline=train_pipeline,
    ),
)
val_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        ann_file='annfiles/',
        data_prefix=dict(img_path='images/'),
        pipeline=test_pipeline,
    ),
)
test_dataloader = val_dataloader
val_evaluator = dict(
    scene_ann_dir='demo/data/dota/labelTxt',
    scene_img_dir='demo/data/dota/images',
)
test_evaluator = val_evaluator

train_cfg = dict(
    _delete_=True, type='IterBasedTrainLoop', max_iters=4, val_interval=4
)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=2)
]
optim_wrapper = dict(optimizer=dict(lr=2e-4))
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(by_epoch=False, interval=2, save_best=None),
    visualization=dict(draw=True, interval=1),
)
log_processor = dict(by_epoch=False)
