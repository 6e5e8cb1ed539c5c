# What the segmentation datasets (./potsdam.py, ./vaihingen.py, ./loveda.py) share: mmseg's tile
# layout, 512 crops of randomly resized (0.5-2x), flipped, distorted tiles; whole tiles to validate.
# A dataset assembles its pipeline: [load_tile, dict(random_resize, scale=...), *crop_and_distort].
crop_size = (512, 512)
# Strict decoding (mmslffm.LoadRemoteSensingImage): a truncated, empty or bomb-sized image
# raises naming the file instead of decoding as grey rows; BGR as mmcv's loader gives.
load_image = dict(
    type='mmslffm.LoadRemoteSensingImage', channel_order='bgr', min_size=1
)
# a corrupt/missing tile is logged and replaced by another, not fatal
load_tile = dict(
    type='mmslffm.SkipUnreadable',
    transforms=[
        load_image,
        dict(type='LoadAnnotations', reduce_zero_label=True),
    ],
)
# the datasets' resize, given their scale
random_resize = dict(
    type='RandomResize', ratio_range=(0.5, 2.0), keep_ratio=True
)
# the rest of the training pipeline
crop_and_distort = [
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    load_image,
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        data_prefix=dict(
            img_path='img_dir/train', seg_map_path='ann_dir/train'
        )
    ),
)
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
        pipeline=test_pipeline,
    ),
)
test_dataloader = val_dataloader
