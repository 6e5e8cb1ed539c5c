# UperNet on the SLFFM ConvNeXt-atto of `make demo`, fine-tuned in minutes on a CPU on the bundled
# Potsdam tile (a check that the pipeline learns); commands in configs/potsdam/README.md.
_base_ = [
    '../_base_/models/upernet_slffm.py',
    '../_base_/datasets/potsdam.py',
    '../_base_/runtimes/seg_mmseg.py',
    '../_base_/schedules/seg_adamw_160k.py',
    '../_base_/schedules/cpu_demo_200i.py',
]
data_root = 'demo/data/potsdam'
crop_size = (256, 256)

model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(
        arch='atto',
        drop_path_rate=0.1,
        init_cfg=dict(type='Pretrained', checkpoint=None),
    ),
    decode_head=dict(
        num_classes=6,
        in_channels=_base_.convnext_slffm.atto.channels,
        channels=64,
        norm_cfg=dict(type='BN', requires_grad=True),
    ),
    auxiliary_head=dict(
        num_classes=6,
        in_channels=_base_.convnext_slffm.atto.channels[2],
        channels=32,
        norm_cfg=dict(type='BN', requires_grad=True),
    ),
    test_cfg=dict(mode='slide', crop_size=crop_size, stride=(171, 171)),
)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(
        type='RandomResize',
        scale=(512, 512),
        ratio_range=(0.5, 2.0),
        keep_ratio=True,
    ),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs'),
]
demo_split = dict(img_path='img_dir', seg_map_path='ann_dir')
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root, data_prefix=demo_split, pipeline=train_pipeline
    ),
)
val_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(data_root=data_root, data_prefix=demo_split),
)
test_dataloader = val_dataloader

optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = _base_.cpu_demo_poly_lr
train_cfg = dict(
    max_iters=_base_.max_iters, val_interval=_base_.max_iters // 2
)
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=_base_.max_iters // 2, max_keep_ckpts=2),
)
env_cfg = dict(cudnn_benchmark=False)
