# ISPRS Potsdam as tools/dataset_converters/potsdam.py writes it (mmseg's PotsdamDataset masks);
# clutter is excluded from every reported figure, the 14 official test tiles are the val split;
# see configs/potsdam/README.md.
_base_ = ['./seg_tiles_512.py']
dataset_type = 'PotsdamDataset'
data_root = 'data/potsdam'
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
