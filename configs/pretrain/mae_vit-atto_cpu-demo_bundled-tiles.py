# MAE at the scale of slffm_convnext-atto_cpu-demo_bundled-tiles.py: a ViT of ConvNeXt-atto's size
# (192 wide, 6 layers, 3 heads), a 2-layer 128-wide decoder; see configs/pretrain/README.md.
_base_ = [
    './mae_vit-b_200e_geosense.py',
    '../_base_/schedules/pretrain_cpu_demo_120i.py',
]
data_root = 'demo/data/pretrain_unlabeled'
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=False,
    pin_memory=False,
    dataset=dict(data_root=data_root),
)

model = dict(
    backbone=dict(
        arch=dict(
            _delete_=True,
            embed_dims=192,
            num_layers=6,
            num_heads=3,
            feedforward_channels=768,
        )
    ),
    neck=dict(
        embed_dim=192,
        decoder_embed_dim=128,
        decoder_depth=2,
        decoder_num_heads=4,
    ),
)

optim_wrapper = dict(optimizer=dict(lr=1.5e-3))
param_scheduler = _base_.pretrain_cpu_demo_lr
train_cfg = dict(
    _delete_=True, type='IterBasedTrainLoop', max_iters=_base_.max_iters
)
auto_scale_lr = dict(enable=False)

log_processor = dict(by_epoch=False)
default_hooks = _base_.pretrain_cpu_demo_hooks
custom_hooks = [
    dict(type='mmslffm.RandomStateHook'),
    _base_.ucm_mini_knn_monitor,
]
