# Scene classification on UC Merced, 80% of each class for training: the ViT-B/16 encoder of an
# MAE run (configs/pretrain/mae_vit-b_200e_geosense.py) fine-tuned with MAE's recipe (layer-wise
# lr decay 0.65, drop path 0.1, mean of the patch tokens); see configs/scene_cls/README.md.
_base_ = [
    '../_base_/datasets/ucmerced.py',
    '../_base_/schedules/cls_adamw_layer_decay_100e.py',
    '../_base_/runtimes/cls_mmpretrain.py',
]
split_dir = 'scene_splits/ucm_train80_seed0'
# a whole MAE pretraining checkpoint: the encoder is taken from under `backbone.`
mae_checkpoint = 'checkpoints/mae_vit-b_200e_geosense.pth'
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='VisionTransformer',
        arch='b',
        img_size=224,
        patch_size=16,
        drop_path_rate=0.1,
        out_type='avg_featmap',
        final_norm=False,
        init_cfg=dict(
            type='Pretrained', checkpoint=mae_checkpoint, prefix='backbone.'
        ),
    ),
    neck=None,
    head=dict(
        type='LinearClsHead',
        num_classes=_base_.num_classes,
        in_channels=768,
        loss=dict(
            type='LabelSmoothLoss', label_smooth_val=0.1, mode='original'
        ),
        init_cfg=dict(type='TruncNormal', layer='Linear', std=2e-5),
    ),
)
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
optim_wrapper = dict(
    paramwise_cfg=dict(
        layer_decay_rate=0.65,
        custom_keys={
            '.cls_token': dict(decay_mult=0.0),
            '.pos_embed': dict(decay_mult=0.0),
        },
    )
)
