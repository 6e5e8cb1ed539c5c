# AID (30 classes, 10,000 images): fine-tune the SLFFM ConvNeXt-B on 50% of each class, test
# on the rest
# (the standard 50% protocol; repeat over split seeds).
# Data: the release unpacked to data/AID/<class>/*.jpg, then
#   python tools/dataset_converters/scene_cls_split.py data/AID \
#       data/scene_splits/aid_train50_seed0 --train-fraction 0.5 --seed 0
# The images, classes and recipe of cls_convnext-b-slffm_100e_aid-tr20.py with other split lists.
# Train / test as in cls_convnext-b-slffm_100e_ucm-tr80.py:
#   python tools/train.py configs/scene_cls/cls_convnext-b-slffm_100e_aid-tr50.py
_base_ = ['./cls_convnext-b-slffm_100e_aid-tr20.py']
split_dir = 'scene_splits/aid_train50_seed0'
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
