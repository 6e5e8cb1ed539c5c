# LEVIR-CD (Chen & Shi, Remote Sensing 2020), 256-px tiles (tools/dataset_converters/levir_cd.py):
# A and B are stacked on channels (H, W, 6) at loading, so geometric transforms move both dates and
# the label together; photometric ones are drawn per date.
dataset_type = 'mmslffm.LEVIRCDDataset'
data_root = 'data/levir_cd_256'
crop_size = (256, 256)
meta_keys = (
    'img_path',
    'img_path2',
    'seg_map_path',
    'ori_shape',
    'img_shape',
    'pad_shape',
    'scale_factor',
    'flip',
    'flip_direction',
    'reduce_zero_label',
)
train_pipeline = [
    dict(type='mmslffm.LoadImagePairFromFile'),
    dict(type='mmslffm.LoadBinaryChangeLabel'),
    dict(
        type='RandomRotate', prob=0.5, degree=180, pad_val=0, seg_pad_val=255
    ),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomFlip', prob=0.5, direction='vertical'),
    dict(type='mmslffm.RandomSwapPair', prob=0.5),
    dict(
        type='mmslffm.ApplyToEachImage',
        transforms=[
            dict(
                type='PhotoMetricDistortion',
                brightness_delta=10,
                contrast_range=(0.8, 1.2),
                saturation_range=(0.8, 1.2),
                hue_delta=10,
            )
        ],
    ),
    dict(type='PackSegInputs', meta_keys=meta_keys),
]
test_pipeline = [
    dict(type='mmslffm.LoadImagePairFromFile'),
    dict(type='mmslffm.LoadBinaryChangeLabel'),
    dict(type='PackSegInputs', meta_keys=meta_keys),
]


train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='train/A', img_path2='train/B', seg_map_path='train/label'
        ),
        pipeline=train_pipeline,
    ),
)
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='val/A', img_path2='val/B', seg_map_path='val/label'
        ),
        pipeline=test_pipeline,
    ),
)
test_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='test/A', img_path2='test/B', seg_map_path='test/label'
        ),
        pipeline=test_pipeline,
    ),
)
# Add test_evaluator.output_dir=DIR to write every change map (PNG).
val_evaluator = dict(type='mmslffm.ChangeDetectionMetric')
test_evaluator = val_evaluator
