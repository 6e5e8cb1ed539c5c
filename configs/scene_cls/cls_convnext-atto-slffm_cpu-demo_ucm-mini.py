# Scene classification in minutes on a CPU: the ConvNeXt-atto of `make demo` fine-tuned on the 63
# bundled UC Merced scenes (demo/data/ucm_mini); commands in configs/scene_cls/README.md.
_base_ = ['./cls_convnext-b-slffm_100e_ucm-tr80.py']
backbone_checkpoint = 'work_dirs/slffm_convnext-atto_cpu-demo_bundled-tiles/slffm_demo_backbone.pth'
split_dir = 'demo/data/ucm_mini_splits/train2_seed0'
model = dict(
    backbone=dict(
        arch='atto',
        drop_path_rate=0.1,
        init_cfg=dict(type='Pretrained', checkpoint=backbone_checkpoint),
    ),
    head=dict(in_channels=_base_.convnext_slffm.atto.channels[3]),
)
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root='',
        data_prefix='demo/data/ucm_mini',
        ann_file=f'{split_dir}/train.txt',
        classes=f'{split_dir}/classes.txt',
    ),
)
# the test list: same folder and loader settings as training
val_dataloader = dict(
    train_dataloader,
    dataset=dict(
        train_dataloader['dataset'], ann_file=f'{split_dir}/test.txt'
    ),
)
test_dataloader = val_dataloader

max_epochs = 8
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.1,
        by_epoch=True,
        begin=0,
        end=1,
        convert_to_iter_based=True,
    ),
    dict(
        type='CosineAnnealingLR',
        T_max=max_epochs - 1,
        eta_min=1e-5,
        by_epoch=True,
        begin=1,
        end=max_epochs,
        convert_to_iter_based=True,
    ),
]
train_cfg = dict(max_epochs=max_epochs, val_interval=4)
auto_scale_lr = dict(enable=False)
default_hooks = dict(
    logger=dict(interval=2), checkpoint=dict(interval=max_epochs)
)
