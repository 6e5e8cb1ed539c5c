# A few-iteration Oriented R-CNN with the tiny 'test' SparseConvNeXt on the bundled DOTA scenes
# (split first, see configs/dota/README.md): the whole pipeline in a minute on a CPU.
_base_ = [
    '../_base_/models/oriented_rcnn_le90_slffm_fpn.py',
    '../_base_/datasets/dota_ss_1024.py',
    '../_base_/schedules/det_adamw_layer_decay_12e.py',
    '../_base_/runtimes/det_mmrotate.py',
    '../_base_/models/oriented_rcnn_tiny_demo.py',
]
data_root = 'work_dirs/demo_dota_split/'
patch_size = 256

model = dict(
    _base_.tiny_demo_detector,
    neck=dict(
        in_channels=_base_.convnext_slffm.test.channels,
        out_channels=_base_.feature_channels,
    ),
)

# the DOTA pipelines (../_base_/datasets/dota_ss_1024.py) at the demo patch size
resize = dict(
    type='mmdet.Resize', scale=(patch_size, patch_size), keep_ratio=True
)
train_pipeline = [
    resize if step.type == 'mmdet.Resize' else step
    for step in _base_.train_pipeline
]
test_pipeline = [
    resize if step.type == 'mmdet.Resize' else step
    for step in _base_.test_pipeline
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
# scored on the patches it trains on
val_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(train_dataloader['dataset'], pipeline=test_pipeline),
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
