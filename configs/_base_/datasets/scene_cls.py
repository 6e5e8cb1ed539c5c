# What the folder-per-class scene datasets (./ucmerced.py, ./aid.py, ./nwpu_resisc45.py) share:
# mmpretrain's CustomDataset over the split lists of tools/dataset_converters/scene_cls_split.py,
# RGB images of any format read by mmslffm.LoadRemoteSensingImage.
data_preprocessor = dict(
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=False,
)

train_pipeline = [
    dict(type='mmslffm.LoadRemoteSensingImage'),
    dict(
        type='RandomResizedCrop',
        scale=224,
        crop_ratio_range=(0.5, 1.0),
        backend='pillow',
        interpolation='bicubic',
    ),
    # overhead scenes have no up or left: horizontal and vertical flips
    dict(
        type='RandomFlip',
        prob=[0.25, 0.25],
        direction=['horizontal', 'vertical'],
    ),
    dict(type='PackInputs'),
]
# the whole scene, resized (scene papers classify the full image)
test_pipeline = [
    dict(type='mmslffm.LoadRemoteSensingImage'),
    dict(
        type='Resize',
        scale=(224, 224),
        backend='pillow',
        interpolation='bicubic',
    ),
    dict(type='PackInputs'),
]

train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='CustomDataset',
        data_root='',
        ann_file='',
        data_prefix='',
        pipeline=train_pipeline,
    ),
)
# The protocols have no validation split: validation runs on the test list only to follow
# training (no checkpoint is chosen by it; the last one is reported).
val_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='CustomDataset',
        data_root='',
        ann_file='',
        data_prefix='',
        pipeline=test_pipeline,
    ),
)
test_dataloader = val_dataloader
val_evaluator = dict(type='mmslffm.SceneClassificationMetric')
test_evaluator = val_evaluator
