# UC Merced Land Use (21 classes, 100 images each): fine-tune the SLFFM ConvNeXt-B on 80% of
# each class, test on the other 20% (the standard protocol; repeat over split seeds).
# Data: the release unpacked to data/UCMerced_LandUse/Images/<class>/*.tif, then
#   python tools/dataset_converters/scene_cls_split.py data/UCMerced_LandUse/Images \
#       data/scene_splits/ucm_train80_seed0 --train-fraction 0.8 --seed 0
# Backbone: checkpoints/slffm_convnext-b_backbone.pth (../_base_/models/backbones/convnext_slffm.py;
# another: --cfg-options model.backbone.init_cfg.checkpoint=PATH).
# Train (1 GPU x 64 images; lr auto-scaled from 5e-4 per 256):
#   python tools/train.py configs/scene_cls/cls_convnext-b-slffm_100e_ucm-tr80.py
# Test (OA, mean per-class accuracy, per-class table, confusion-matrix PNG):
#   python tools/test.py configs/scene_cls/cls_convnext-b-slffm_100e_ucm-tr80.py \
#       work_dirs/cls_convnext-b-slffm_100e_ucm-tr80/epoch_100.pth
_base_ = [
    '../_base_/models/convnext_slffm_cls.py',
    '../_base_/datasets/scene_cls.py',
    '../_base_/schedules/cls_adamw_layer_decay_100e.py',
    '../_base_/runtimes/cls_mmpretrain.py',
]
num_classes = 21
images = 'UCMerced_LandUse/Images'
split_dir = 'scene_splits/ucm_train80_seed0'

data_preprocessor = dict(num_classes=num_classes)
model = dict(head=dict(num_classes=num_classes))
train_dataloader = dict(
    dataset=dict(
        data_root='data',
        data_prefix=images,
        ann_file=f'{split_dir}/train.txt',
        classes=f'data/{split_dir}/classes.txt',
    )
)
val_dataloader = dict(
    dataset=dict(
        data_root='data',
        data_prefix=images,
        ann_file=f'{split_dir}/test.txt',
        classes=f'data/{split_dir}/classes.txt',
    )
)
test_dataloader = val_dataloader
