# Scene classification on AID, 50% of each class for training: the SLFFM ConvNeXt-B
# fine-tuned; data, commands and recipe in configs/scene_cls/README.md.
_base_ = [
    '../_base_/models/convnext_slffm_cls.py',
    '../_base_/datasets/aid.py',
    '../_base_/schedules/cls_adamw_layer_decay_100e.py',
    '../_base_/runtimes/cls_mmpretrain.py',
]
split_dir = 'scene_splits/aid_train50_seed0'
model = dict(head=dict(num_classes=_base_.num_classes))
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
