# NWPU-RESISC45 (45 classes x 700 images): fine-tune the SLFFM ConvNeXt-B on 20% of each
# class, test on the rest
# (the standard 20% protocol; repeat over split seeds).
# Data: the release unpacked to data/NWPU-RESISC45/<class>/*.jpg, then
#   python tools/dataset_converters/scene_cls_split.py data/NWPU-RESISC45 \
#       data/scene_splits/nwpu_train20_seed0 --train-fraction 0.2 --seed 0
# The images, classes and recipe of cls_convnext-b-slffm_100e_nwpu-tr10.py with other split lists.
# Train / test as in cls_convnext-b-slffm_100e_ucm-tr80.py:
#   python tools/train.py configs/scene_cls/cls_convnext-b-slffm_100e_nwpu-tr20.py
_base_ = ['./cls_convnext-b-slffm_100e_nwpu-tr10.py']
split_dir = 'scene_splits/nwpu_train20_seed0'
train_dataloader = dict(
    dataset=dict(
        ann_file=f'{split_dir}/train.txt',
        classes=f'data/{split_dir}/classes.txt',
    )
)
val_dataloader = dict(
    dataset=dict(
        ann_file=f'{split_dir}/test.txt',
        classes=f'data/{split_dir}/classes.txt',
    )
)
test_dataloader = val_dataloader
