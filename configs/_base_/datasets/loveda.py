# LoveDA (Wang et al., NeurIPS 2021 Datasets and Benchmarks), Urban and Rural together, in the
# layout of mmseg's converter; 0 = no-data (ignored), mIoU over 7 classes; configs/loveda/README.md.
_base_ = ['./seg_tiles_512.py']
dataset_type = 'LoveDADataset'
data_root = 'data/loveDA'
train_pipeline = [
    _base_.load_tile,
    dict(_base_.random_resize, scale=(2048, 512)),
    *_base_.crop_and_distort,
]
train_dataloader = dict(
    dataset=dict(
        type=dataset_type, data_root=data_root, pipeline=train_pipeline
    )
)
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
val_evaluator = dict(type='mmslffm.SegmentationMetric')
test_evaluator = val_evaluator
