# MAE at the scale of slffm_convnext-atto_cpu-demo_bundled-tiles.py: a ViT of ConvNeXt-atto's size (192 wide, 6 layers,
# 3 heads: 2.8 M parameters vs 3.4 M), 16-px patches, a 2-layer 128-wide decoder, 120 iterations
# of 8 images on the bundled tiles.
#   python tools/train.py configs/pretrain/mae_vit-atto_cpu-demo_bundled-tiles.py
_base_ = ['./mae_vit-b_200e_geosense.py']

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

max_iters = 120
optim_wrapper = dict(optimizer=dict(lr=1.5e-3))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0, end=10),
    dict(
        type='CosineAnnealingLR',
        T_max=max_iters - 10,
        eta_min=1e-5,
        by_epoch=False,
        begin=10,
        end=max_iters,
    ),
]
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=max_iters)
auto_scale_lr = dict(enable=False)

log_processor = dict(by_epoch=False)
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(by_epoch=False, interval=60, max_keep_ckpts=2),
)
custom_hooks = [
    dict(type='mmslffm.RandomStateHook'),
    dict(
        type='mmslffm.KNNMonitorHook',
        data_root='demo/data/ucm_mini',
        interval=60,
    ),
]
