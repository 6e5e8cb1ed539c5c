# LoveDA (Wang et al., NeurIPS 2021 Datasets and Benchmarks) in mmseg's layout (Urban and
# Rural together), made by mmseg's own converter:
#   python <site-packages>/mmseg/.mim/tools/dataset_converters/loveda.py DIR_WITH_ZIPS -o data/loveDA
#   data/loveDA/img_dir/{train,val,test}/<id>.png, ann_dir/{train,val}/<id>.png
# Masks: 0 = no-data (ignored), 1..7 = background, building, road, water, barren, forest,
# agricultural; mIoU over the 7 classes.
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
