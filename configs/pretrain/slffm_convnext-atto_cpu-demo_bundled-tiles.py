# A few minutes of real SLFFM pretraining on CPU, on the 116 remote-sensing tiles bundled in
# demo/data/pretrain_unlabeled (crops of DOTA, DIOR-R, LEVIR-CD, Potsdam and LoveDA images).
# Same method as slffm_convnext-b_200e_geosense.py; a small ConvNeXt, short schedule, no lr auto-scaling.
#   python tools/train.py configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py
_base_ = ['./slffm_convnext-b_200e_geosense.py']

data_root = 'demo/data/pretrain_unlabeled'
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=False,
    pin_memory=False,
    dataset=dict(data_root=data_root),
)

model = dict(
    backbone=dict(arch='atto', drop_path_rate=0.1),  # dims 40..320, 3.4 M
    neck=dict(
        feature_dim=_base_.convnext_slffm.atto.channels[3] * 3 // 4,  # 240
        norm_cfg=dict(type='BN'),
    ),
)

max_iters = 120
optim_wrapper = dict(optimizer=dict(lr=2e-3))
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
    dict(
        type='CosineAnnealingWeightDecay',
        eta_min=0.2,
        T_max=max_iters,
        by_epoch=False,
        begin=0,
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
    dict(type='mmslffm.ReconstructionPreviewHook', interval=40),
    # leave-one-out kNN accuracy of the encoder on 63 bundled UC Merced scenes (21 classes)
    dict(
        type='mmslffm.KNNMonitorHook',
        data_root='demo/data/ucm_mini',
        interval=60,
    ),
]
