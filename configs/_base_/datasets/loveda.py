# LoveDA (Wang et al., NeurIPS 2021 Datasets and Benchmarks) in mmseg's layout (Urban and
# Rural together), made by mmseg's own converter:
#   python <site-packages>/mmseg/.mim/tools/dataset_converters/loveda.py DIR_WITH_ZIPS -o data/loveDA
#   data/loveDA/img_dir/{train,val,test}/<id>.png, ann_dir/{train,val}/<id>.png
# Masks: 0 = no-data (ignored), 1..7 = background, building, road, water, barren, forest,
# agricultural; mIoU over the 7 classes.
dataset_type = 'LoveDADataset'
data_root = 'data/loveDA'
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
        scale=(2048, 512),
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
val_evaluator = dict(type='mmslffm.SegmentationMetric')
test_evaluator = val_evaluator
