# A few-iteration Oriented R-CNN with the tiny 'test' SparseConvNeXt on the bundled DIOR-R sample
# (demo/data/dior_r), 400 px: reading, training and VOC07 mAP on a CPU; configs/dior/README.md.
_base_ = [
    '../_base_/models/oriented_rcnn_le90_slffm_fpn.py',
    '../_base_/datasets/dior_r_800.py',
    '../_base_/schedules/det_adamw_layer_decay_12e.py',
    '../_base_/runtimes/det_mmrotate.py',
    '../_base_/models/oriented_rcnn_tiny_demo.py',
]
data_root = 'demo/data/dior_r/'
image_size = 400

# the tiny detector with DIOR-R's 20 classes
model = dict(
    _base_.tiny_demo_detector,
    roi_head=dict(
        _base_.tiny_demo_detector.roi_head,
        bbox_head=dict(
            _base_.tiny_demo_detector.roi_head.bbox_head, num_classes=20
        ),
    ),
    neck=dict(
        in_channels=_base_.convnext_slffm.test.channels,
        out_channels=_base_.feature_channels,
    ),
)

# the DIOR-R pipelines (../_base_/datasets/dior_r_800.py) at the demo size, no random flips
resize = dict(
    type='mmdet.Resize', scale=(image_size, image_size), keep_ratio=True
)
train_pipeline = [
    resize if step.type == 'mmdet.Resize' else step
    for step in _base_.train_pipeline
    if step.type != 'mmdet.RandomFlip'
]
test_pipeline = [
    resize if step.type == 'mmdet.Resize' else step
    for step in _base_.test_pipeline
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
