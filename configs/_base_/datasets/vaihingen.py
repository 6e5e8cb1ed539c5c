# ISPRS Vaihingen as tools/dataset_converters/vaihingen.py writes it: IRRG false colour (the first
# channel is near-infrared), Potsdam's 6 classes and protocol (clutter excluded); see
# configs/vaihingen/README.md.
_base_ = ['./seg_tiles_512.py']
dataset_type = 'ISPRSDataset'
data_root = 'data/vaihingen'
train_pipeline = [
    _base_.load_tile,
    dict(_base_.random_resize, scale=(512, 512)),
    *_base_.crop_and_distort,
]
train_dataloader = dict(
    dataset=dict(
        type=dataset_type, data_root=data_root, pipeline=train_pipeline
    )
)
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
val_evaluator = dict(
    type='mmslffm.SegmentationMetric', exclude_classes=('clutter',)
)
test_evaluator = val_evaluator
