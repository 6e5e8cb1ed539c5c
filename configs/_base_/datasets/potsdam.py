# ISPRS Potsdam (ISPRS 2D semantic labelling benchmark) as written by
# tools/dataset_converters/potsdam.py:
#   data/potsdam/img_dir/{train,val}/<tile>_<x0>_<y0>_<x1>_<y1>.png  RGB
#   data/potsdam/ann_dir/{train,val}/...png         full reference labels
#   data/potsdam/ann_dir_eroded/{train,val}/...png  eroded-boundary labels (if given)
# Masks follow mmseg's PotsdamDataset: 0 = ignore (unknown colour / eroded boundary),
# 1..6 = impervious surfaces, building, low vegetation, tree, car, clutter
# (reduce_zero_label turns them into 255 and 0..5).
# Protocol: clutter is excluded from every reported figure (OA, per-class and mean F1/IoU
# over the 5 other classes); val = the 14 official test tiles, written whole, slide 512/341.
# Eroded-boundary variant: --cfg-options test_dataloader.dataset.data_prefix.seg_map_path=ann_dir_eroded/val
dataset_type = 'PotsdamDataset'
data_root = 'data/potsdam'
crop_size = (512, 512)
# Strict decoding (mmslffm.LoadRemoteSensingImage): a truncated, empty or bomb-sized image
# raises naming the file instead of decoding as grey rows; BGR as mmcv's loader gives.
load_image = dict(
    type='mmslffm.LoadRemoteSensingImage', channel_order='bgr', min_size=1
)
train_pipeline = [
    # a corrupt/missing tile is logged and replaced by another, not fatal
    dict(
        type='mmslffm.SkipUnreadable',
        transforms=[
            load_image,
            dict(type='LoadAnnotations', reduce_zero_label=True),
        ],
    ),
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
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='img_dir/train', seg_map_path='ann_dir/train'
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
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
        pipeline=test_pipeline,
    ),
)
test_dataloader = val_dataloader
val_evaluator = dict(
    type='mmslffm.SegmentationMetric', exclude_classes=('clutter',)
)
test_evaluator = val_evaluator
