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
