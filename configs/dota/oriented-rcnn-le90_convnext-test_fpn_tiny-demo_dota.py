# A few-iteration Oriented R-CNN on the bundled DOTA scenes (demo/data/dota) with the tiny
# 'test' SparseConvNeXt and small heads: the whole pipeline in a minute on a CPU.
#   python tools/dataset_converters/dota_split.py --img-dir demo/data/dota/images \
#       --ann-dir demo/data/dota/labelTxt --out-dir work_dirs/demo_dota_split \
#       --patch-size 256 --gap 64 --keep-empty
#   python tools/train.py configs/dota/oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dota.py
#   python tools/test.py configs/dota/oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dota.py \
#       work_dirs/oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dota/iter_4.pth
# (random backbone: the mAP is near 0; benchmarks/overfit_dota_tile.py shows it learning)
_base_ = [
    './oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dota.py',
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
