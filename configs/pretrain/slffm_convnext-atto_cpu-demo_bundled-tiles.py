# A few minutes of real SLFFM pretraining on CPU, on the 116 remote-sensing tiles bundled in
# demo/data/pretrain_unlabeled (crops of DOTA, DIOR-R, LEVIR-CD, Potsdam and LoveDA images).
# Same method as slffm_convnext-b_200e_geosense.py; a small ConvNeXt, short schedule, no lr auto-scaling.
#   python tools/train.py configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py
_base_ = [
    './slffm_convnext-b_200e_geosense.py',
    '../_base_/schedules/pretrain_cpu_demo_120i.py',
]

data_root = _base_.bundled_tiles_loader.dataset.data_root
train_dataloader = _base_.bundled_tiles_loader

model = dict(
    backbone=dict(arch='atto', drop_path_rate=0.1),  # dims 40..320, 3.4 M
    neck=dict(
        feature_dim=_base_.convnext_slffm.atto.channels[3] * 3 // 4,  # 240
        norm_cfg=dict(type='BN'),
    ),
)

optim_wrapper = dict(optimizer=dict(lr=2e-3))
param_scheduler = [
    *_base_.pretrain_cpu_demo_lr,
    dict(
        type='CosineAnnealingWeightDecay',
        eta_min=0.2,
        T_max=_base_.max_iters,
        by_epoch=False,
        begin=0,
        end=_base_.max_iters,
    ),
]
train_cfg = dict(
    _delete_=True, type='IterBasedTrainLoop', max_iters=_base_.max_iters
)
auto_scale_lr = dict(enable=False)

log_processor = dict(by_epoch=False)
default_hooks = _base_.pretrain_cpu_demo_hooks
custom_hooks = [
    dict(type='mmslffm.RandomStateHook'),
    dict(type='mmslffm.ReconstructionPreviewHook', interval=40),
    _base_.ucm_mini_knn_monitor,
]
