# AID (30 classes, 10,000 images): fine-tune the SLFFM ConvNeXt-B on 20% of each class, test
# on the rest
# (the standard 20% protocol; repeat over split seeds).
# Data: the release unpacked to data/AID/<class>/*.jpg, then
#   python tools/dataset_converters/scene_cls_split.py data/AID \
#       data/scene_splits/aid_train20_seed0 --train-fraction 0.2 --seed 0
# Train / test as in cls_convnext-b-slffm_100e_ucm-tr80.py:
#   python tools/train.py configs/scene_cls/cls_convnext-b-slffm_100e_aid-tr20.py
_base_ = ['./cls_convnext-b-slffm_100e_ucm-tr80.py']
num_classes = 30
images = 'AID'
split_dir = 'scene_splits/aid_train20_seed0'

data_preprocessor = dict(num_classes=num_classes)
model = dict(head=dict(num_classes=num_classes))
train_dataloader = dict(
    dataset=dict(
        data_prefix=images,
        ann_file=f'{split_dir}/train.txt',
        classes=f'data/{split_dir}/classes.txt',
    )
)
val_dataloader = dict(
    dataset=dict(
        data_prefix=images,
        ann_file=f'{split_dir}/test.txt',
        classes=f'data/{split_dir}/classes.txt',
    )
)
test_dataloader = val_dataloader
