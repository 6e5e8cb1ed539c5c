# ISPRS Vaihingen as written by tools/dataset_converters/vaihingen.py:
#   data/vaihingen/img_dir/{train,val}/area<N>_<x0>_<y0>_<x1>_<y1>.png  IRRG false colour
#   data/vaihingen/ann_dir/{train,val}/...png         full reference labels
#   data/vaihingen/ann_dir_eroded/{train,val}/...png  eroded-boundary labels (if given)
# The images are IRRG (near-infrared, red, green), not RGB: the model's first channel is NIR.
# Masks as Potsdam (mmseg's ISPRSDataset): 0 = ignore, 1..6 = impervious surfaces, building,
# low vegetation, tree, car, clutter (reduce_zero_label turns them into 255 and 0..5).
# Protocol as Potsdam: clutter excluded from every reported figure; val = the 17 official
# test areas, written whole, slide 512/341. Official split: 16 train / 17 test areas.
# Eroded-boundary variant: --cfg-options test_dataloader.dataset.data_prefix.seg_map_path=ann_dir_eroded/val
_base_ = ['./potsdam.py']
dataset_type = 'ISPRSDataset'
data_root = 'data/vaihingen'
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
